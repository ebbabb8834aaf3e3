import type { CarImportProgress, CarImportSummary } from '../../content/car/car-import.ts'
import type { ImportRecord } from '../../content/imports/import-log.ts'
import { InvalidParamsError } from '../errors.ts'
import { fields, method, none } from '../method.ts'

/** CAR import. */
export const carMethods = {
  /**
   * Imports a CAR file, all or nothing, with progress. Not sent again after a timeout: it
   * reports its own outcome, and one cut short is rolled back when the node restarts.
   */
  'car.import': method<{ file: Blob, name: string }, CarImportSummary, CarImportProgress>({
    idempotent: false,
    params: value => {
      const p = fields(value, 'car.import')
      if (!(p.file instanceof Blob)) throw new InvalidParamsError('car.import needs "file" as a file (a Blob)')
      return { file: p.file, name: typeof p.name === 'string' && p.name !== '' ? p.name : 'unnamed.car' }
    }
  }),
  /** Finished CAR imports, newest first. */
  'car.imports': method<Record<string, never>, ImportRecord[]>({ idempotent: true, params: none('car.imports') })
}
