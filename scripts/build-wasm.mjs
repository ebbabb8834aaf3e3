#!/usr/bin/env node
// Builds wasm/cairn_hotpath.wasm from the Rust crate in wasm/.
//
//   node scripts/build-wasm.mjs           build and write wasm/cairn_hotpath.wasm
//   node scripts/build-wasm.mjs --check   build and fail if the bytes differ from the committed file
//   node scripts/build-wasm.mjs --test    run the crate's unit tests on the host (cargo test)
//
// Toolchain: Debian's rustc/cargo with libstd-rust-dev-wasm32 and crates from Debian's
// librust-*-dev packages (offline), or a rustup toolchain with the wasm32 target and crates.io.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const crate = join(dirname(fileURLToPath(import.meta.url)), '..', 'wasm')
const output = join(crate, 'cairn_hotpath.wasm')
const built = join(crate, 'target', 'wasm32-unknown-unknown', 'release', 'cairn_hotpath.wasm')
const mode = process.argv[2] ?? '--build'

const debianStd = '/usr/lib/rustlib/wasm32-unknown-unknown'
const debianRegistry = '/usr/share/cargo/registry'
const env = { ...process.env }
const args = []
if (existsSync(debianStd)) {
  // Select Debian's toolchain even where a rustup proxy comes first on PATH.
  env.RUSTUP_TOOLCHAIN = '/usr'
}
if (existsSync(debianStd) && existsSync(join(debianRegistry, 'sha2-0.10.5'))) {
  args.push('--config', 'source.crates-io.replace-with="debian"', '--config', `source.debian.directory="${debianRegistry}"`)
}
// Keep machine paths out of the binary so every clone builds the same bytes.
env.RUSTFLAGS = [`--remap-path-prefix=${crate}=cairn-hotpath`, `--remap-path-prefix=${process.env.HOME ?? '/root'}=~`].join(' ')

function cargo (...rest) {
  const result = spawnSync('cargo', [...rest, ...args], { cwd: crate, env, stdio: 'inherit' })
  if (result.error != null) {
    console.error(`cannot run cargo: ${result.error.message}. Install Rust (see README, "Rebuilding the WASM module").`)
    process.exit(1)
  }
  if (result.status !== 0) process.exit(result.status ?? 1)
}

if (mode === '--test') {
  cargo('test', '--release')
  process.exit(0)
}

// SIMD128 for the module (BLAKE3 hashes four chunks at once): every browser Cairn supports has
// it (Chrome 91, Firefox 89, Safari 16.4). Only for the wasm32 build: host tests run without.
env.RUSTFLAGS += ' -C target-feature=+simd128'
cargo('build', '--release', '--target', 'wasm32-unknown-unknown')
const bytes = readFileSync(built)
if (mode === '--check') {
  const committed = existsSync(output) ? readFileSync(output) : Buffer.alloc(0)
  if (!committed.equals(bytes)) {
    console.error(`wasm/cairn_hotpath.wasm differs from a fresh build (${committed.length} vs ${bytes.length} bytes). Run npm run build:wasm and commit the result.`)
    process.exit(1)
  }
  console.log(`wasm/cairn_hotpath.wasm matches a fresh build (${bytes.length} bytes)`)
} else {
  writeFileSync(output, bytes)
  console.log(`wrote wasm/cairn_hotpath.wasm (${bytes.length} bytes)`)
}
