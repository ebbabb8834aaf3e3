import { UnixfsInputError } from '../hotpath/index.ts'

/** Something to read a file's bytes from: a `File`/`Blob`, or anything with a size and a stream. */
export interface FileSource {
  readonly size: number
  stream(): ReadableStream<Uint8Array>
}

/** One thing to add: a file at `path` (folders separated by `/`), or a folder when `file` is absent. */
export interface AddEntry {
  path: string
  file?: FileSource
}

/** A folder of the tree to import. */
export interface AddFolder {
  kind: 'folder'
  name: string
  children: Map<string, AddNode>
}

/** A file of the tree to import. */
export interface AddFile {
  kind: 'file'
  name: string
  path: string
  file: FileSource
}

export type AddNode = AddFolder | AddFile

/** The tree of an addition and its totals. */
export interface AddTree {
  /** The unnamed top folder: what a wrapping directory would hold. */
  root: AddFolder
  files: number
  folders: number
  bytes: number
}

/** Why a name cannot be a UnixFS name, or undefined when it can. */
export function nameProblem (name: string): string | undefined {
  if (name === '') return 'a name is empty (two "/" in a row, or one at the start or end)'
  if (name === '.' || name === '..') return `"${name}" cannot be a name`
  if (name.includes('\0')) return `${JSON.stringify(name)} contains a NUL character`
  if (!name.isWellFormed()) return `${JSON.stringify(name)} is not valid Unicode (a lone surrogate): it has no UTF-8 form`
  return undefined
}

/**
 * Builds the tree from a flat list of paths, as a file picker or a drop gives them. Refuses,
 * before anything is read or stored, what UnixFS cannot hold: empty, `.` or `..` names, NUL,
 * invalid UTF-16; and a path given twice or used both as a file and as a folder.
 */
export function buildAddTree (entries: Iterable<AddEntry>): AddTree {
  const root: AddFolder = { kind: 'folder', name: '', children: new Map() }
  const tree: AddTree = { root, files: 0, folders: 0, bytes: 0 }
  for (const entry of entries) {
    const names = entry.path.split('/')
    for (const name of names) {
      const problem = nameProblem(name)
      if (problem !== undefined) throw new UnixfsInputError(`${JSON.stringify(entry.path)}: ${problem}`)
    }
    let folder = root
    for (const name of names.slice(0, -1)) {
      const next = folder.children.get(name)
      if (next?.kind === 'file') throw new UnixfsInputError(`"${next.path}" is both a file and a folder`)
      if (next === undefined) {
        const created: AddFolder = { kind: 'folder', name, children: new Map() }
        folder.children.set(name, created)
        tree.folders++
        folder = created
      } else {
        folder = next
      }
    }
    const last = names[names.length - 1]
    const existing = folder.children.get(last)
    if (entry.file === undefined) {
      if (existing?.kind === 'file') throw new UnixfsInputError(`"${entry.path}" is both a file and a folder`)
      if (existing === undefined) {
        folder.children.set(last, { kind: 'folder', name: last, children: new Map() })
        tree.folders++
      }
      continue
    }
    if (existing !== undefined) throw new UnixfsInputError(`"${entry.path}" is given twice`)
    folder.children.set(last, { kind: 'file', name: last, path: entry.path, file: entry.file })
    tree.files++
    tree.bytes += entry.file.size
  }
  if (root.children.size === 0) throw new UnixfsInputError('nothing to add')
  return tree
}
