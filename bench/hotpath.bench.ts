import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import { hash as blake3Jit } from 'blake3-jit'
import { createBLAKE3, createSHA256 } from 'hash-wasm'
import { CID } from 'multiformats/cid'
import { sha256 as referenceSha256 } from 'multiformats/hashes/sha2'
import { blake3, blockLinks, dagCborToDagJson, dagJsonToDagCbor, sha256, sha256Hasher, sha256Many } from '../src/hotpath/index.ts'
import { bytesOf } from '../test/support/bytes.ts'
import { measure, type BenchRow } from './harness.ts'

const KiB = 1024
const sizes: Array<[string, number]> = [['1 KiB', KiB], ['4 KiB', 4 * KiB], ['16 KiB', 16 * KiB], ['64 KiB', 64 * KiB], ['1 MiB', 1024 * KiB]]

/** A node shaped like typical application data: strings, numbers, nested maps, a few links. */
async function sampleNode (links: number, padding: number): Promise<unknown> {
  const cids = await Promise.all(Array.from({ length: links }, async (_, i) => CID.createV1(0x71, await referenceSha256.digest(bytesOf(8, i + 1)))))
  return {
    name: 'benchmark node',
    version: 3,
    ratio: 0.625,
    tags: ['alpha', 'beta', 'gamma'],
    owner: { id: 'k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8', since: 1700000000 },
    children: cids.map((cid, i) => ({ name: `child-${i}`, size: 1000 * i, link: cid })),
    notes: 'x'.repeat(padding)
  }
}

/** SHA-256, BLAKE3, DAG-JSON ↔ DAG-CBOR and link extraction, ours against the references. */
export async function hotpathBenchmarks (): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const hwSha = await createSHA256()
  const hwBlake = await createBLAKE3()
  const subtle = crypto.subtle

  for (const [label, size] of sizes) {
    const data = bytesOf(size)
    const add = (group: string, impl: string, ops: number): void => { rows.push({ group, case: label, impl, opsPerSec: ops, bytesPerOp: size }) }
    add('SHA-256', 'cairn wasm', await measure(() => sha256(data)))
    add('SHA-256', 'cairn hasher (auto)', await measure(() => sha256Hasher.digest(data)))
    add('SHA-256', 'hash-wasm', await measure(() => { hwSha.init(); hwSha.update(data); return hwSha.digest('binary') }))
    add('SHA-256', 'crypto.subtle', await measure(() => subtle.digest('SHA-256', data)))
    add('BLAKE3', 'cairn wasm', await measure(() => blake3(data)))
    add('BLAKE3', 'hash-wasm', await measure(() => { hwBlake.init(); hwBlake.update(data); return hwBlake.digest('binary') }))
    add('BLAKE3', 'blake3-jit (runtime-generated SIMD WASM)', await measure(() => blake3Jit(data)))
  }

  const batch = Array.from({ length: 256 }, (_, i) => bytesOf(KiB, i))
  rows.push({ group: 'SHA-256 ×256 blocks', case: '256 × 1 KiB', impl: 'cairn sha256Many (1 call)', opsPerSec: await measure(() => sha256Many(batch)), bytesPerOp: 256 * KiB })
  rows.push({ group: 'SHA-256 ×256 blocks', case: '256 × 1 KiB', impl: 'cairn sha256 (256 calls)', opsPerSec: await measure(() => batch.map(sha256)), bytesPerOp: 256 * KiB })
  rows.push({ group: 'SHA-256 ×256 blocks', case: '256 × 1 KiB', impl: 'crypto.subtle (256 awaits)', opsPerSec: await measure(async () => { for (const b of batch) await subtle.digest('SHA-256', b) }), bytesPerOp: 256 * KiB })

  const utf8 = new TextEncoder()
  const text = new TextDecoder()
  for (const [label, node] of [['small node', await sampleNode(3, 0)], ['10 KiB node', await sampleNode(40, 6000)]] as const) {
    const cbor = dagCbor.encode(node)
    const json = text.decode(dagJson.encode(node))
    const jsonBytes = utf8.encode(json)
    const caseName = `${label} (${cbor.length} B cbor)`
    const cid = CID.createV1(0x71, await referenceSha256.digest(cbor))
    rows.push({ group: 'DAG-JSON → DAG-CBOR', case: caseName, impl: 'cairn wasm', opsPerSec: await measure(() => dagJsonToDagCbor(json)), bytesPerOp: jsonBytes.length })
    rows.push({ group: 'DAG-JSON → DAG-CBOR', case: caseName, impl: '@ipld/dag-json + dag-cbor', opsPerSec: await measure(() => dagCbor.encode(dagJson.decode(utf8.encode(json)))), bytesPerOp: jsonBytes.length })
    rows.push({ group: 'DAG-CBOR → DAG-JSON', case: caseName, impl: 'cairn wasm', opsPerSec: await measure(() => dagCborToDagJson(cbor)), bytesPerOp: cbor.length })
    rows.push({ group: 'DAG-CBOR → DAG-JSON', case: caseName, impl: '@ipld/dag-cbor + dag-json', opsPerSec: await measure(() => text.decode(dagJson.encode(dagCbor.decode(cbor)))), bytesPerOp: cbor.length })
    rows.push({ group: 'links of a DAG-CBOR block', case: caseName, impl: 'cairn blockLinks', opsPerSec: await measure(() => blockLinks(cid, cbor)), bytesPerOp: cbor.length })
    rows.push({ group: 'links of a DAG-CBOR block', case: caseName, impl: '@ipld/dag-cbor decode + walk', opsPerSec: await measure(() => walkLinks(dagCbor.decode(cbor))), bytesPerOp: cbor.length })
  }
  return rows
}

function walkLinks (value: unknown, out: CID[] = []): CID[] {
  const cid = CID.asCID(value)
  if (cid !== null) out.push(cid)
  else if (Array.isArray(value)) for (const v of value) walkLinks(v, out)
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) for (const v of Object.values(value)) walkLinks(v, out)
  return out
}
