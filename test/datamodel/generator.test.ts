// The generator (scripts/datamodels.ts): the committed tables must be what it makes of the Broadband
// Forum XML in CWMP_DATAMODELS_DIR (fix: `npm run datamodels`), and its handling of the DM Schema is
// checked on small documents written here.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileModel, licenceNotice, MODELS, renderAll, renderTable, ROOT, TYPES_FILE } from '../../scripts/datamodels.js'
import { createDefinitions } from '../../src/datamodel/definitions.js'
import type { ParameterDefinition } from '../../src/datamodel/types.js'

const DIR = process.env.CWMP_DATAMODELS_DIR
const HAVE_XML = DIR !== undefined && DIR !== '' && existsSync(join(DIR, TYPES_FILE))

const SKIPPED = HAVE_XML ? '' : ' [SKIPPED: CWMP_DATAMODELS_DIR does not point at the Broadband Forum XML, e.g. ../shared/datamodels]'

describe.skipIf(!HAVE_XML)(`committed tables against the XML in CWMP_DATAMODELS_DIR${SKIPPED}`, () => {
  it('every generated file is up to date (run `npm run datamodels` if not)', () => {
    const { files, stats } = renderAll(DIR as string)
    expect([...files.keys()].sort()).toEqual(
      ['NOTICE', ...MODELS.flatMap((m) => [`src/datamodel/${m.id}.generated.ts`, `src/datamodel/${m.id}-paths.generated.d.ts`])].sort(),
    )
    for (const [rel, content] of files) {
      const path = join(ROOT, rel)
      expect(existsSync(path), `${rel} is missing`).toBe(true)
      // Compared as booleans first: a diff of a 300 KB line is of no use in a report.
      expect(readFileSync(path, 'utf8') === content, `${rel} is stale: run \`npm run datamodels\``).toBe(true)
    }
    expect(stats.map((s) => [s.model, s.objects, s.parameters])).toEqual([
      ['Device:2.17', 789, 6466],
      ['InternetGatewayDevice:1.14', 192, 1800],
    ])
  })
})

// ---------------------------------------------------------------------------------------------

const LICENCE = `
  Test Model

  Copyright (c) 2020-2024, Broadband Forum

  Redistribution and use in source and binary forms, with or
  without modification, are permitted provided that the following
  conditions are met:

  1. Redistributions of source code must retain the above copyright
     notice, this list of conditions and the following disclaimer.

  THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND
  CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES.

  Any moral rights which are necessary to exercise under the above
  license grant are also deemed granted under this license.

  Summary: not part of the licence.
`

const TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<!--${LICENCE}-->
<!DOCTYPE dm [
  <!ENTITY octet "(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])">
  <!ENTITY dot "\\.">
]>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:test-types">
  <dataType name="IPAddress"><description>any</description><string><size maxLength="45"/></string></dataType>
  <dataType name="IPv4Address" base="IPAddress">
    <size maxLength="15"/>
    <pattern value=""/>
    <pattern value="(&octet;&dot;){3}&octet;"/>
  </dataType>
  <dataType name="Pair"><list minItems="2" maxItems="2"/><int/></dataType>
  <dataType name="Dbm1000"><int/></dataType>
  <dataType name="Overridden"><string><size maxLength="1"/></string></dataType>
</dm:document>
`

function model(objects: string, extraTypes = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!--${LICENCE}-->
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:test-model">
  <dataType name="Overridden"><string><size maxLength="9"/></string></dataType>
  ${extraTypes}
  <bibliography><reference id="X"><name>ignored</name></reference></bibliography>
  <model name="Test:1.2">
    <object name="Test." access="readOnly" minEntries="1" maxEntries="1" version="1.0">
      <parameter name="ThingNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
    </object>
    ${objects}
    <profile name="P:1"><object ref="Test." requirement="present"/></profile>
  </model>
</dm:document>
`
}

const THING = `
    <object name="Test.Thing.{i}." access="readWrite" numEntriesParameter="ThingNumberOfEntries" enableParameter="Enable"
        minEntries="0" maxEntries="unbounded" version="1.1">
      <description>Descriptions are not shipped.</description>
      <uniqueKey><parameter ref="Alias"/></uniqueKey>
      <parameter name="Enable" access="readWrite"><syntax><boolean/><default type="object" value="false"/></syntax></parameter>
      <parameter name="Alias" access="writeOnceReadOnly" version="1.2"><syntax><string><size maxLength="64"/></string></syntax></parameter>
      <parameter name="Address" access="readWrite" activeNotify="canDeny"><syntax><dataType ref="IPv4Address"/></syntax></parameter>
      <parameter name="Level" access="readOnly"><syntax><dataType ref="Dbm1000"><range minInclusive="-10" maxInclusive="10" step="2"/></dataType></syntax></parameter>
      <parameter name="Base" access="readOnly"><syntax><dataType base="Dbm1000"><units value="dB"/></dataType></syntax></parameter>
      <parameter name="Pairs" access="readOnly"><syntax><list maxItems="3" nestedBrackets="required"/><dataType ref="Pair"/></syntax></parameter>
      <parameter name="Names" access="readWrite"><syntax><list maxItems="4"><size maxLength="20"/></list><string><size maxLength="8"/></string></syntax></parameter>
      <parameter name="Key" access="readWrite"><syntax secured="true"><hexBinary><size minLength="16" maxLength="16"/></hexBinary></syntax></parameter>
      <parameter name="Secret" access="readWrite"><syntax hidden="true"><string/></syntax></parameter>
      <parameter name="Reset" access="readWrite"><syntax command="true"><boolean/></syntax></parameter>
      <parameter name="Mode" access="readWrite" forcedInform="true" activeNotify="forceEnabled">
        <syntax><string><enumeration value="A"/><enumeration value="B" access="readOnly"/><enumeration value="C" status="deleted"/><enumeration value="D" status="deprecated"/></string></syntax>
      </parameter>
      <parameter name="Old" access="readOnly" status="deprecated"><syntax><string><size status="deleted" maxLength="3"/></string></syntax></parameter>
      <parameter name="Gone" access="readOnly" status="deleted"><syntax><string/></syntax></parameter>
      <parameter name="Own" access="readOnly"><syntax><dataType ref="Overridden"/></syntax></parameter>
      <parameter name="Padded " access="readOnly"><syntax><string/></syntax></parameter>
    </object>
    <object name="Test.Thing.{i}.Stats." access="readOnly" minEntries="1" maxEntries="1" version="1.1" status="obsoleted">
      <parameter name="Bytes" access="readOnly"><syntax><unsignedLong/></syntax></parameter>
    </object>
    <object name="Test.Dead." access="readOnly" minEntries="0" maxEntries="1" version="1.0" status="deleted">
      <parameter name="X" access="readOnly"><syntax><string/></syntax></parameter>
    </object>
    <object name="Test.Dead.Child." access="readOnly" minEntries="1" maxEntries="1" version="1.0">
      <parameter name="Y" access="readOnly"><syntax><string/></syntax></parameter>
    </object>
    <object name="Test.Single." access="readOnly" numEntriesParameter="Missing" minEntries="1" maxEntries="1" version="1.0"/>
`

describe('the generator on small documents', () => {
  const compiled = compileModel(model(THING), 'test.xml', TYPES)
  const defs = createDefinitions(JSON.stringify(compiled.table))
  const p = (path: string) => defs.parameter(path) as ParameterDefinition

  it('keeps objects with their access, entries, numEntriesParameter and enableParameter', () => {
    expect(defs.lookup('Test.Thing.1.')).toMatchObject({
      kind: 'object',
      multiInstance: true,
      access: 'readWrite',
      writable: true,
      minEntries: 0,
      maxEntries: undefined,
      numEntriesParameter: 'Test.ThingNumberOfEntries',
      enableParameter: 'Test.Thing.{i}.Enable',
      version: '1.1',
    })
    expect(defs.lookup('Test.Thing.')).toMatchObject({ kind: 'table', writable: true, parent: 'Test.' })
    expect(defs.model).toBe('Test:1.2')
    expect(defs.spec).toBe('urn:test-model')
  })

  it('resolves named types through base types, DOCTYPE entities included, and refines them in place', () => {
    expect(p('Test.Thing.1.Address').syntax).toEqual({
      type: 'string',
      dataType: 'IPv4Address',
      sizes: [{ maxLength: 15 }],
      patterns: ['', '((25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])'],
    })
    expect(p('Test.Thing.1.Level').syntax).toEqual({ type: 'int', dataType: 'Dbm1000', ranges: [{ minInclusive: -10, maxInclusive: 10, step: 2 }] })
    expect(p('Test.Thing.1.Base').syntax).toEqual({ type: 'int', dataType: 'Dbm1000' })
    // The model's own dataType wins over the TR-106 one of the same name.
    expect(p('Test.Thing.1.Own').syntax).toEqual({ type: 'string', dataType: 'Overridden', sizes: [{ maxLength: 9 }] })
  })

  it('keeps lists: their own size and item counts, nested lists in brackets', () => {
    expect(p('Test.Thing.1.Names').syntax).toEqual({ type: 'list', maxItems: 4, sizes: [{ maxLength: 20 }], item: { type: 'string', sizes: [{ maxLength: 8 }] } })
    expect(p('Test.Thing.1.Pairs').syntax).toEqual({
      type: 'list',
      maxItems: 3,
      nestedBrackets: 'required',
      item: { type: 'list', dataType: 'Pair', minItems: 2, maxItems: 2, item: { type: 'int' } },
    })
  })

  it('keeps access, forcedInform, activeNotify, hidden/secured, command, versions and defaults', () => {
    expect(p('Test.Thing.1.Alias')).toMatchObject({ access: 'writeOnceReadOnly', writable: true, version: '1.2' })
    expect(p('Test.Thing.1.Enable')).toMatchObject({ version: '1.1', default: { type: 'object', value: 'false' } })
    expect(p('Test.Thing.1.Address')).toMatchObject({ activeNotify: 'canDeny', forcedInform: false })
    expect(p('Test.Thing.1.Mode')).toMatchObject({ forcedInform: true, activeNotify: 'forceEnabled' })
    expect(p('Test.Thing.1.Key')).toMatchObject({ hidden: true, syntax: { type: 'hexBinary', sizes: [{ minLength: 16, maxLength: 16 }] } })
    expect(p('Test.Thing.1.Secret')).toMatchObject({ hidden: true, command: false })
    expect(p('Test.Thing.1.Reset')).toMatchObject({ command: true, hidden: false })
    expect(defs.forcedInform).toEqual(['Test.Thing.{i}.Mode'])
    expect(defs.forcedActiveNotification).toEqual(['Test.Thing.{i}.Mode'])
  })

  it('drops what is deleted (items, facets, values, and the objects under a deleted object) and flags the rest', () => {
    expect(p('Test.Thing.1.Mode').syntax).toEqual({ type: 'string', enumeration: ['A', 'B', 'D'], readOnlyValues: ['B'] })
    expect(p('Test.Thing.1.Old')).toMatchObject({ status: 'deprecated', syntax: { type: 'string' } })
    expect(p('Test.Thing.1.Old').syntax).not.toHaveProperty('sizes')
    expect(defs.lookup('Test.Thing.1.Gone')).toBeUndefined()
    expect(defs.lookup('Test.Dead.')).toBeUndefined()
    expect(defs.lookup('Test.Dead.Child.Y')).toBeUndefined()
    expect(defs.lookup('Test.Thing.1.Stats.')).toMatchObject({ status: 'obsoleted' })
    expect(compiled.stats).toMatchObject({ objects: 4, deletedObjects: 2, deletedParameters: 3, deprecated: 1, obsoleted: 1 })
  })

  it('works around errors in the XML and reports them', () => {
    expect(p('Test.Thing.1.Padded')).toMatchObject({ name: 'Padded' })
    expect(defs.lookup('Test.Single.')).not.toHaveProperty('numEntriesParameter')
    const line = model(THING).slice(0, model(THING).indexOf('"Padded "')).split('\n').length
    expect(compiled.stats.anomalies).toEqual([
      `test.xml:${line}: parameter name "Padded " has spaces: trimmed`,
      'test.xml: Test.Single. numEntriesParameter="Missing" names no parameter of Test. (and the object is single-instance): dropped',
    ])
  })

  it.each([
    ['an unknown attribute', `<object name="Test.A." access="readOnly" color="red" version="1.0"/>`, /attribute color is not handled/],
    ['an unknown type', `<object name="Test.A." access="readOnly" version="1.0"><parameter name="P" access="readOnly"><syntax><float/></syntax></parameter></object>`, /not handled here/],
    ['an unknown data type', `<object name="Test.A." access="readOnly" version="1.0"><parameter name="P" access="readOnly"><syntax><dataType ref="Nope"/></syntax></parameter></object>`, /unknown data type Nope/],
    ['a range on a string', `<object name="Test.A." access="readOnly" version="1.0"><parameter name="P" access="readOnly"><syntax><string><range maxInclusive="3"/></string></syntax></parameter></object>`, /range on string/],
    ['both an enumeration and a pattern', `<object name="Test.A." access="readOnly" version="1.0"><parameter name="P" access="readOnly"><syntax><string><enumeration value="a"/><pattern value="b"/></string></syntax></parameter></object>`, /both an enumeration and patterns/],
    ['a pattern JavaScript cannot compile', `<object name="Test.A." access="readOnly" version="1.0"><parameter name="P" access="readOnly"><syntax><string><pattern value="(a"/></string></syntax></parameter></object>`, /does not compile/],
    ['an access value', `<object name="Test.A." access="readOnly" version="1.0"><parameter name="P" access="sometimes"><syntax><string/></syntax></parameter></object>`, /access="sometimes"/],
    ['a USP command', `<object name="Test.A." access="readOnly" version="1.0"><command name="Go()"/></object>`, /USP element/],
  ])('fails on %s, naming the file and line', (_what, object, message) => {
    expect(() => compileModel(model(object), 'bad.xml', TYPES)).toThrow(message)
    expect(() => compileModel(model(object), 'bad.xml', TYPES)).toThrow(/bad\.xml:\d+/)
  })

  it('fails on a data type that derives from itself', () => {
    const loop = `<dataType name="L1" base="L2"/><dataType name="L2" base="L1"/>`
    const object = `<object name="Test.A." access="readOnly" version="1.0"><parameter name="P" access="readOnly"><syntax><dataType ref="L1"/></syntax></parameter></object>`
    expect(() => compileModel(model(object, loop), 'loop.xml', TYPES)).toThrow(/derives from itself/)
  })

  it('fails on malformed XML', () => {
    expect(() => compileModel(`${model('')}<x`, 'broken.xml', TYPES)).toThrow(/broken\.xml/)
  })
})

describe('licence notice', () => {
  it('takes the copyright, conditions and disclaimer from the header comment, without the summary', () => {
    const notice = licenceNotice(LICENCE, 'x.xml')
    expect(notice.split('\n')[0]).toBe('Copyright (c) 2020-2024, Broadband Forum')
    expect(notice).toContain('1. Redistributions of source code must retain the above copyright')
    expect(notice).toContain('THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND')
    expect(notice.trimEnd().endsWith('license grant are also deemed granted under this license.')).toBe(true)
    expect(notice).not.toContain('Summary')
  })

  it('refuses a header without the licence', () => {
    expect(() => licenceNotice('Copyright (c) 2020 someone\n deemed granted under this license.', 'x.xml')).toThrow(/licence text incomplete/)
    expect(() => licenceNotice('no licence here', 'x.xml')).toThrow(/licence text not found/)
  })

  it('puts the notice in each table as a legal comment (kept by bundlers) and the table round-trips', () => {
    const compiled = compileModel(model(THING), 'test.xml', TYPES)
    const source = renderTable(MODELS[0] as (typeof MODELS)[number], compiled)
    expect(source.startsWith('/*!\n * @license BSD-3-Clause')).toBe(true)
    expect(source).toContain(' * Copyright (c) 2020-2024, Broadband Forum')
    expect(source).toContain(' * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND')
    const literal = /export const TABLE: string = ('.*')\n/.exec(source)?.[1] as string
    expect(JSON.parse((0, eval)(literal) as string)).toEqual(JSON.parse(JSON.stringify(compiled.table)))
  })

  it('ships the notice: NOTICE is in the package files, and holds the notice of every source file', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }
    expect(pkg.files).toContain('NOTICE')
    const notice = readFileSync(join(ROOT, 'NOTICE'), 'utf8')
    for (const f of [...MODELS.map((m) => m.file), TYPES_FILE]) expect(notice).toContain(`${f}:`)
    expect(notice.match(/THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS/g)?.length).toBe(3)
  })
})
