import { signal } from '@preact/signals'

/** A file or (empty) folder the user picked, by its path inside what was picked. */
export interface PickedEntry {
  path: string
  file?: File
}

/**
 * Files handed to the Add view from elsewhere: dropped on any page, shared from another app
 * (share target) or opened with Cairn (file handler). The Add view takes them and clears this.
 */
export const pendingAdd = signal<PickedEntry[] | undefined>(undefined)

/** A CAR opened with Cairn (file handler), for the Import view. */
export const pendingImport = signal<File | undefined>(undefined)

/** Files from `<input type=file multiple>` or `<input webkitdirectory>` (their relative paths kept). */
export function fromFileList (files: FileList | File[]): PickedEntry[] {
  return [...files].map(file => ({ path: file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name, file }))
}

async function entryFile (entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => { entry.file(resolve, reject) })
}

async function readAll (directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader()
  const all: FileSystemEntry[] = []
  // readEntries gives them a batch at a time (100 in Chromium) until an empty batch.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => { reader.readEntries(resolve, reject) })
    if (batch.length === 0) return all
    all.push(...batch)
  }
}

async function walk (entry: FileSystemEntry, path: string, out: PickedEntry[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path, file: await entryFile(entry as FileSystemFileEntry) })
    return
  }
  const children = await readAll(entry as FileSystemDirectoryEntry)
  // An empty folder is kept as itself; a folder with content is implied by its files.
  if (children.length === 0) out.push({ path })
  for (const child of children) await walk(child, `${path}/${child.name}`, out)
}

/** Files and folders (empty ones included) of a drop, walking dropped folders. */
export async function fromDrop (data: DataTransfer): Promise<PickedEntry[]> {
  const entries = [...data.items].filter(item => item.kind === 'file').map(item => item.webkitGetAsEntry())
  if (entries.some(entry => entry === null)) return fromFileList(data.files)
  const out: PickedEntry[] = []
  for (const entry of entries as FileSystemEntry[]) await walk(entry, entry.name, out)
  return out
}
