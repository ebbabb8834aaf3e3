#!/usr/bin/env node
// Draws the app icon (a cairn: three stacked stones) as PNGs for the web manifest.
// Run once after changing the design; the PNGs are committed in public/.
import { deflateSync } from 'node:zlib'
import { writeFileSync } from 'node:fs'

const background = [0x1d, 0x3b, 0x3a]
const stone = [0xe8, 0xe2, 0xd0]

/** Stones as ellipses in a unit square: centre x, centre y, radius x, radius y. */
const stones = [[0.5, 0.74, 0.3, 0.11], [0.5, 0.52, 0.22, 0.095], [0.5, 0.33, 0.14, 0.08]]

function crc32 (bytes) {
  let c = ~0
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

function chunk (type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

function png (size) {
  const rows = Buffer.alloc(size * (size * 3 + 1))
  for (let y = 0; y < size; y++) {
    rows[y * (size * 3 + 1)] = 0
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size
      const v = (y + 0.5) / size
      const inside = stones.some(([cx, cy, rx, ry]) => ((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2 <= 1)
      const colour = inside ? stone : background
      rows.set(colour, y * (size * 3 + 1) + 1 + x * 3)
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8
  header[9] = 2
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

for (const size of [192, 512]) writeFileSync(new URL(`../public/icon-${size}.png`, import.meta.url), png(size))
console.log('wrote public/icon-192.png and public/icon-512.png')
