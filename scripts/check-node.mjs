#!/usr/bin/env node
// Stops `npm start`, `npm test` and `npm run relay` at once, with one line, on a Node.js older
// than package.json's `engines` asks for (libp2p 3 needs Node 22; the relay's TypeScript runs
// on Node's type stripping, on by default from 22.18). `npm install` is stopped by
// `engine-strict` in .npmrc. Written for any Node.js: no syntax or API newer than Node 12.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** The line to stop with when Node.js `have` is older than `wanted` (">=22.18"), else undefined. */
export function tooOld (wanted, have) {
  const [major, minor] = wanted.replace(/^>=\s*/, '').split('.').map(Number)
  const [haveMajor, haveMinor] = have.split('.').map(Number)
  if (haveMajor > major || (haveMajor === major && haveMinor >= (minor || 0))) return undefined
  const version = `${major}.${minor || 0}`
  return `Cairn needs Node.js ${version} or newer and this is ${have}: install it (https://nodejs.org, or "nvm install ${major}") and run the command again.`
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const wanted = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node
  const line = tooOld(wanted, process.versions.node)
  if (line !== undefined) {
    console.error(line)
    process.exit(1)
  }
}
