import { describe, expect, it } from 'vitest'
import { ProxyPeerConnection } from '../../../src/bridge/proxy-peer-connection.ts'

describe('the bridge\'s generateCertificate (WebRTC-direct asks for one first)', () => {
  it('answers for ECDSA P-256, the kind the page\'s connection makes, and refuses others', async () => {
    const certificate = await ProxyPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams)
    expect(certificate.expires).toBeGreaterThan(Date.now())
    await expect(ProxyPeerConnection.generateCertificate({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as AlgorithmIdentifier)).rejects.toThrow(/ECDSA P-256/)
    await expect(ProxyPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-384' } as EcKeyGenParams)).rejects.toThrow(/ECDSA P-256/)
  })
})
