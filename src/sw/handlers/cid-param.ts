import { CID } from 'multiformats/cid'
import { InvalidParamsError } from '../../rpc/errors.ts'

/** A CID from an RPC parameter; `InvalidParamsError` naming the text when it is not one. */
export function cidParam (text: string): CID {
  try {
    return CID.parse(text.trim())
  } catch {
    throw new InvalidParamsError(`"${text}" is not a CID`)
  }
}
