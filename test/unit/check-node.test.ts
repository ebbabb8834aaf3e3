import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain script, for any Node.js, without type declarations
import { tooOld } from '../../scripts/check-node.mjs'

describe('the Node.js version check before start, test and relay', () => {
  const wanted = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).engines.node as string

  it('stops Node.js 20 and 22 before 22.18 with one line naming the version needed', () => {
    expect(wanted).toBe('>=22.18')
    for (const have of ['20.20.2', '22.17.1', '18.0.0']) {
      const line = tooOld(wanted, have) as string
      expect(line).toContain('22.18')
      expect(line).toContain(have)
      expect(line).not.toContain('\n')
    }
  })

  it('lets 22.18 and newer through', () => {
    for (const have of ['22.18.0', '22.20.1', '24.21.0', '25.0.0']) expect(tooOld(wanted, have)).toBeUndefined()
  })

  it('runs before npm start, npm test and npm run relay; engine-strict stops npm install', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
    for (const name of ['prestart', 'pretest', 'prerelay']) expect(scripts[name]).toBe('node scripts/check-node.mjs')
    expect(readFileSync(new URL('../../.npmrc', import.meta.url), 'utf8')).toMatch(/^engine-strict=true$/m)
  })
})
