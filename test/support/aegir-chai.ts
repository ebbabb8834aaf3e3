// `interface-blockstore-tests` imports `expect` from `aegir/chai`: chai with chai-as-promised
// and dirty-chai. This gives it the same, without pulling in aegir.
import * as chai from 'chai'
import chaiAsPromised from 'chai-as-promised'
import dirtyChai from 'dirty-chai'

chai.use(chaiAsPromised)
chai.use(dirtyChai)

export const expect = chai.expect
