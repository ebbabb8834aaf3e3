import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TokenStore } from '../../../src/relay/home/tokens.ts'
import { RelayUsageError } from '../../../src/relay/options.ts'
import { runTokenCommand } from '../../../src/relay/token-command.ts'

describe('npm run relay -- token …', () => {
  const dirs: string[] = []
  afterEach(async () => { await Promise.all(dirs.splice(0).map(async d => rm(d, { recursive: true, force: true }))) })
  async function home (): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-tokens-'))
    dirs.push(dir)
    return dir
  }

  it('adds a token shown once, keeps only its hash, lists it without it, and a running node sees a revoke at once', async () => {
    const dir = await home()
    const node = new TokenStore(join(dir, 'tokens.json'))
    await node.load()
    const added = await runTokenCommand(['add', 'laptop', '--home', dir, '--quota-pins', '5'])
    const secret = added[1]
    expect(added[0]).toMatch(/token for "laptop" .*shown this once/)
    expect(secret).toMatch(/^[\w-]{43}$/)
    const file = await readFile(join(dir, 'tokens.json'), 'utf8')
    expect(file).not.toContain(secret)
    const listed = await runTokenCommand(['list', '--home', dir])
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatch(/^laptop\tid [\w-]+\tcreated .*quota 10737418240 bytes, 5 pins$/)
    expect(listed[0]).not.toContain(secret)
    // The node (another process in real use) reads the change on the next request.
    expect((await node.check(secret))?.label).toBe('laptop')
    const rotated = (await runTokenCommand(['rotate', 'laptop', '--home', dir]))[1]
    expect(await node.check(secret)).toBeUndefined()
    expect((await node.check(rotated))?.id).toBe((await runTokenCommand(['list', '--home', dir]))[0].split('\t')[1].slice(3))
    await runTokenCommand(['revoke', 'laptop', '--home', dir])
    expect(await node.check(rotated)).toBeUndefined()
    expect(await runTokenCommand(['list', '--home', dir])).toEqual(['no tokens yet: npm run relay -- token add <label>'])
  })

  it('explains mistakes', async () => {
    const dir = await home()
    await runTokenCommand(['add', 'phone', '--home', dir])
    const cases: Array<[string[], RegExp]> = [
      [['add', 'phone', '--home', dir], /already a token labelled "phone"/],
      [['add', '--home', dir], /one label/],
      [['revoke', 'tablet', '--home', dir], /no token labelled "tablet"/],
      [['add', 'x', '--quota-bytes', 'lots', '--home', dir], /--quota-bytes needs a whole number/],
      [['forget', '--home', dir], /add, list, rotate or revoke/],
      [['list', '--colour', 'red'], /colour/]
    ]
    for (const [args, message] of cases) {
      await expect(runTokenCommand(args)).rejects.toThrow(RelayUsageError)
      await expect(runTokenCommand(args)).rejects.toThrow(message)
    }
  })
})
