import { readFile } from 'node:fs/promises'
import { ready } from '../../src/hotpath/index.ts'

await ready(await readFile(new URL('../../wasm/cairn_hotpath.wasm', import.meta.url)))
