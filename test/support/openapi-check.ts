import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'

/** The part of an OpenAPI 3 schema object this checker reads. */
interface Schema {
  $ref?: string
  type?: string
  required?: string[]
  properties?: Record<string, Schema>
  additionalProperties?: Schema | boolean
  items?: Schema
  enum?: unknown[]
  format?: string
  maxLength?: number
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
  minimum?: number
}

/** An OpenAPI document's component schemas, and a check of values against them. */
export interface OpenApi {
  /** Problems with `value` as the component schema `name` (empty: it conforms). */
  check: (name: string, value: unknown) => string[]
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/**
 * Reads an OpenAPI file (YAML) and checks response bodies against its component schemas:
 * types, required properties, enums, lengths, item counts and uniqueness, date-time format.
 * Enough of JSON Schema for the Pinning Service API's shapes, written for the tests.
 */
export async function loadOpenApi (path: string): Promise<OpenApi> {
  const text = await readFile(path, 'utf8')
  // The spec's two prose descriptions (the API's and the token's) are lenient YAML a strict
  // parser refuses; what lies between them (paths, component schemas) is read.
  const machine = text.slice(text.indexOf('\npaths:'), text.indexOf('\n  securitySchemes:'))
  const document = parse(machine) as { components: { schemas: Record<string, Schema> } }
  const schemas = document.components.schemas
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref === undefined) return schema
    const name = schema.$ref.replace('#/components/schemas/', '')
    const found = schemas[name]
    if (found === undefined) throw new Error(`no schema ${name}`)
    return resolve(found)
  }
  const check = (schema: Schema, value: unknown, at: string, problems: string[]): void => {
    const s = resolve(schema)
    if (s.enum !== undefined && !s.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${s.enum.join(', ')}`)
    switch (s.type) {
      case 'object': {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) { problems.push(`${at}: not an object`); return }
        const record = value as Record<string, unknown>
        for (const key of s.required ?? []) if (!(key in record)) problems.push(`${at}: "${key}" is required`)
        for (const [key, v] of Object.entries(record)) {
          const property = s.properties?.[key]
          if (property !== undefined) check(property, v, `${at}.${key}`, problems)
          else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, v, `${at}.${key}`, problems)
          else if (s.additionalProperties === false) problems.push(`${at}: "${key}" is not allowed`)
        }
        return
      }
      case 'array': {
        if (!Array.isArray(value)) { problems.push(`${at}: not an array`); return }
        if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${at}: fewer than ${s.minItems} items`)
        if (s.maxItems !== undefined && value.length > s.maxItems) problems.push(`${at}: more than ${s.maxItems} items`)
        if (s.uniqueItems === true && new Set(value.map(v => JSON.stringify(v))).size !== value.length) problems.push(`${at}: items repeat`)
        value.forEach((item, i) => { if (s.items !== undefined) check(s.items, item, `${at}[${i}]`, problems) })
        return
      }
      case 'string':
        if (typeof value !== 'string') { problems.push(`${at}: not a string`); return }
        if (s.maxLength !== undefined && value.length > s.maxLength) problems.push(`${at}: longer than ${s.maxLength}`)
        if (s.format === 'date-time' && !RFC3339.test(value)) problems.push(`${at}: "${value}" is not an RFC 3339 date-time`)
        return
      case 'integer':
        if (!Number.isInteger(value)) { problems.push(`${at}: not an integer`); return }
        if (s.minimum !== undefined && (value as number) < s.minimum) problems.push(`${at}: below ${s.minimum}`)
    }
  }
  return {
    check: (name, value) => {
      const problems: string[] = []
      check({ $ref: `#/components/schemas/${name}` }, value, name, problems)
      return problems
    }
  }
}
