// Facts of the Broadband Forum XML, written down by reading tr-181-2-17-0-cwmp-full.xml and
// tr-098-1-8-0-full.xml (each row quotes the XML it comes from), checked against the shipped
// tables. They do not come from the generator: a generator bug shows up here as a mismatch.
import { describe, expect, it } from 'vitest'
import { tr098 } from '../../src/datamodel/tr098.js'
import { tr181 } from '../../src/datamodel/tr181.js'
import type { DataModelDefinitions } from '../../src/datamodel/types.js'

interface Fact {
  /** A concrete path (instance numbers where the XML has {i}). */
  readonly path: string
  /** The XML, abridged. */
  readonly xml: string
  /** What the definition must contain (toMatchObject). */
  readonly expect: Record<string, unknown>
}

const str = (sizes?: object[], more: object = {}) => ({ type: 'string', ...(sizes ? { sizes } : {}), ...more })

const TR181: readonly Fact[] = [
  {
    path: 'Device.RootDataModelVersion',
    xml: 'access="readOnly" forcedInform="true" version="2.4"; string size maxLength=32, pattern 2\\.\\d+',
    expect: { access: 'readOnly', writable: false, forcedInform: true, version: '2.4', syntax: str([{ maxLength: 32 }], { patterns: ['2\\.\\d+'] }), xsdType: 'xsd:string' },
  },
  {
    path: 'Device.DeviceInfo.ManufacturerOUI',
    xml: 'readOnly; string size 6..6, pattern [0-9A-F]{6}',
    expect: { writable: false, forcedInform: false, syntax: str([{ minLength: 6, maxLength: 6 }], { patterns: ['[0-9A-F]{6}'] }) },
  },
  {
    path: 'Device.DeviceInfo.SoftwareVersion',
    xml: 'readOnly activeNotify="forceEnabled" forcedInform="true"; string maxLength 64',
    expect: { activeNotify: 'forceEnabled', forcedInform: true, syntax: str([{ maxLength: 64 }]) },
  },
  {
    path: 'Device.DeviceInfo.ProvisioningCode',
    xml: 'access="readWrite" activeNotify="forceEnabled" forcedInform="true"; string maxLength 64',
    expect: { access: 'readWrite', writable: true, activeNotify: 'forceEnabled', forcedInform: true },
  },
  {
    path: 'Device.DeviceInfo.UpTime',
    xml: 'readOnly activeNotify="canDeny"; unsignedInt (units seconds)',
    expect: { activeNotify: 'canDeny', syntax: { type: 'unsignedInt' }, xsdType: 'xsd:unsignedInt' },
  },
  {
    path: 'Device.DeviceInfo.DeviceCategory',
    xml: 'readOnly version="2.8"; <list/> <string/>',
    expect: { version: '2.8', syntax: { type: 'list', item: { type: 'string' } }, xsdType: 'xsd:string' },
  },
  {
    path: 'Device.ManagementServer.PeriodicInformInterval',
    xml: 'readWrite; unsignedInt range minInclusive=1',
    expect: { writable: true, syntax: { type: 'unsignedInt', ranges: [{ minInclusive: 1 }] } },
  },
  {
    path: 'Device.ManagementServer.ConnectionRequestURL',
    xml: 'readOnly activeNotify="forceDefaultEnabled" forcedInform="true"; dataType ref="URL" (URI: string maxLength 2048)',
    expect: { activeNotify: 'forceDefaultEnabled', forcedInform: true, syntax: { type: 'string', dataType: 'URL', sizes: [{ maxLength: 2048 }] } },
  },
  {
    path: 'Device.ManagementServer.ParameterKey',
    xml: 'readOnly activeNotify="canDeny" forcedInform="true"; string maxLength 32',
    expect: { writable: false, activeNotify: 'canDeny', forcedInform: true, syntax: str([{ maxLength: 32 }]) },
  },
  {
    path: 'Device.ManagementServer.Password',
    xml: 'readWrite; <syntax hidden="true"> string maxLength 256',
    expect: { writable: true, hidden: true, syntax: str([{ maxLength: 256 }]) },
  },
  {
    path: 'Device.ManagementServer.PeriodicInformTime',
    xml: 'readWrite; dateTime',
    expect: { writable: true, syntax: { type: 'dateTime' }, xsdType: 'xsd:dateTime' },
  },
  {
    path: 'Device.ManagementServer.CWMPRetryMinimumWaitInterval',
    xml: 'readWrite; unsignedInt range 1..65535',
    expect: { syntax: { type: 'unsignedInt', ranges: [{ minInclusive: 1, maxInclusive: 65535 }] } },
  },
  {
    path: 'Device.ManagementServer.CWMPRetryIntervalMultiplier',
    xml: 'readWrite; unsignedInt range 1000..65535',
    expect: { syntax: { type: 'unsignedInt', ranges: [{ minInclusive: 1000, maxInclusive: 65535 }] } },
  },
  {
    path: 'Device.ManagementServer.AliasBasedAddressing',
    xml: 'readOnly forcedInform="true" version="2.3"; boolean',
    expect: { forcedInform: true, version: '2.3', syntax: { type: 'boolean' }, xsdType: 'xsd:boolean' },
  },
  {
    path: 'Device.ManagementServer.EnableCWMP',
    xml: 'readWrite; boolean, default type="factory" value="true"',
    expect: { default: { type: 'factory', value: 'true' } },
  },
  {
    path: 'Device.ManagementServer.ConnReqAllowedJabberIDs',
    xml: 'readWrite version="2.7"; <list maxItems="32"><size/></list> string maxLength 256',
    expect: { syntax: { type: 'list', maxItems: 32, item: str([{ maxLength: 256 }]) } },
  },
  {
    path: 'Device.WiFi.SSID.3.SSID',
    xml: 'object Device.WiFi.SSID.{i}.; readWrite; string maxLength 32',
    expect: { path: 'Device.WiFi.SSID.{i}.SSID', object: 'Device.WiFi.SSID.{i}.', writable: true, activeNotify: 'normal', syntax: str([{ maxLength: 32 }]) },
  },
  {
    path: 'Device.WiFi.SSID.1.Status',
    xml: 'readOnly; string enumeration Up Down Unknown Dormant NotPresent LowerLayerDown Error; default object "Down"',
    expect: {
      writable: false,
      syntax: { type: 'string', enumeration: ['Up', 'Down', 'Unknown', 'Dormant', 'NotPresent', 'LowerLayerDown', 'Error'] },
      default: { type: 'object', value: 'Down' },
    },
  },
  {
    path: 'Device.WiFi.SSID.12.Enable',
    xml: 'readWrite; boolean; default object "false"',
    expect: { writable: true, syntax: { type: 'boolean' }, default: { type: 'object', value: 'false' } },
  },
  {
    path: 'Device.WiFi.SSID.2.Alias',
    xml: 'access="writeOnceReadOnly" version="2.0"; dataType ref="Alias" (base _AliasCommon: string maxLength 64)',
    expect: { access: 'writeOnceReadOnly', writable: true, syntax: { type: 'string', dataType: 'Alias', sizes: [{ maxLength: 64 }] } },
  },
  {
    path: 'Device.WiFi.SSID.2.MACAddress',
    xml: 'readOnly; dataType ref="MACAddress" (string maxLength 17, patterns "" and ([0-9A-Fa-f][0-9A-Fa-f]:){5}([0-9A-Fa-f][0-9A-Fa-f]))',
    expect: {
      writable: false,
      syntax: { type: 'string', dataType: 'MACAddress', sizes: [{ maxLength: 17 }], patterns: ['', '([0-9A-Fa-f][0-9A-Fa-f]:){5}([0-9A-Fa-f][0-9A-Fa-f])'] },
    },
  },
  {
    path: 'Device.WiFi.SSID.2.LowerLayers',
    xml: 'readWrite; <list><size maxLength="1024"/></list> string pathRef; default object ""',
    expect: { syntax: { type: 'list', sizes: [{ maxLength: 1024 }], item: { type: 'string', pathRef: true } }, default: { type: 'object', value: '' } },
  },
  {
    path: 'Device.WiFi.SSID.2.Stats.BytesSent',
    xml: 'readOnly activeNotify="canDeny"; unsignedLong',
    expect: { activeNotify: 'canDeny', syntax: { type: 'unsignedLong' }, xsdType: 'xsd:unsignedLong' },
  },
  {
    path: 'Device.WiFi.Radio.1.Channel',
    xml: 'readWrite; unsignedInt range 1..255',
    expect: { writable: true, syntax: { type: 'unsignedInt', ranges: [{ minInclusive: 1, maxInclusive: 255 }] } },
  },
  {
    path: 'Device.WiFi.Radio.1.TransmitPower',
    xml: 'readWrite; int range -1..100',
    expect: { syntax: { type: 'int', ranges: [{ minInclusive: -1, maxInclusive: 100 }] }, xsdType: 'xsd:int' },
  },
  {
    path: 'Device.WiFi.AccessPoint.1.Security.ModeEnabled',
    xml: 'readWrite; string enumerationRef targetParam="ModesSupported"',
    expect: { writable: true, syntax: { type: 'string', enumerationRef: 'ModesSupported' } },
  },
  {
    path: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
    xml: 'readWrite; <syntax secured="true"> string size 8..63',
    expect: { hidden: true, syntax: str([{ minLength: 8, maxLength: 63 }]) },
  },
  {
    path: 'Device.IP.Interface.1.IPv4Address.2.IPAddress',
    xml: 'readWrite; dataType ref="IPv4Address" (base IPAddress; size maxLength 15; patterns "" and dotted quad)',
    expect: {
      path: 'Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress',
      syntax: {
        type: 'string',
        dataType: 'IPv4Address',
        sizes: [{ maxLength: 15 }],
        patterns: ['', '((25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])'],
      },
    },
  },
  {
    path: 'Device.IP.Diagnostics.IPPing.DiagnosticsState',
    xml: 'readWrite; dataType ref="DiagnosticsState" refined: None(readOnly) Requested Canceled Complete(readOnly) Error(readOnly) Error_CannotResolveHostName(readOnly) Error_NoRouteToHost(readOnly) Error_Internal(readOnly) Error_Other(readOnly)',
    expect: {
      writable: true,
      syntax: {
        type: 'string',
        dataType: 'DiagnosticsState',
        enumeration: ['None', 'Requested', 'Canceled', 'Complete', 'Error', 'Error_CannotResolveHostName', 'Error_NoRouteToHost', 'Error_Internal', 'Error_Other'],
        readOnlyValues: ['None', 'Complete', 'Error', 'Error_CannotResolveHostName', 'Error_NoRouteToHost', 'Error_Internal', 'Error_Other'],
      },
    },
  },
  {
    path: 'Device.Hosts.Host.7.PhysAddress',
    xml: 'readOnly; string maxLength 64',
    expect: { writable: false, syntax: str([{ maxLength: 64 }]) },
  },
  {
    path: 'Device.Time.NTPServer1',
    xml: 'readWrite status="deprecated"; string maxLength 64',
    expect: { writable: true, status: 'deprecated', syntax: str([{ maxLength: 64 }]) },
  },
  {
    path: 'Device.Time.CurrentLocalTime',
    xml: 'readOnly activeNotify="canDeny"; dateTime',
    expect: { activeNotify: 'canDeny', syntax: { type: 'dateTime' } },
  },
  {
    path: 'Device.NAT.PortMapping.4.ExternalPort',
    xml: 'readWrite; unsignedInt range 0..65535',
    expect: { syntax: { type: 'unsignedInt', ranges: [{ minInclusive: 0, maxInclusive: 65535 }] } },
  },
  {
    path: 'Device.NAT.PortMapping.4.Protocol',
    xml: 'readWrite; string enumeration TCP UDP',
    expect: { syntax: { type: 'string', enumeration: ['TCP', 'UDP'] } },
  },
  {
    path: 'Device.DeviceInfo.ProcessStatus.CPUUsage',
    xml: 'readOnly activeNotify="canDeny"; unsignedInt range maxInclusive=100',
    expect: { syntax: { type: 'unsignedInt', ranges: [{ maxInclusive: 100 }] } },
  },
  {
    path: 'Device.UserInterface.ISPLogo',
    xml: 'readWrite; base64 size 0..4095',
    expect: { syntax: { type: 'base64', sizes: [{ maxLength: 4095 }] }, xsdType: 'xsd:base64Binary' },
  },
  {
    path: 'Device.UserInterface.TextColor',
    xml: 'readWrite; hexBinary size 3..3',
    expect: { syntax: { type: 'hexBinary', sizes: [{ minLength: 3, maxLength: 3 }] }, xsdType: 'xsd:hexBinary' },
  },
  {
    path: 'Device.UserInterface.PasswordReset',
    xml: 'readWrite; <syntax command="true"> boolean',
    expect: { command: true, syntax: { type: 'boolean' } },
  },
  {
    path: 'Device.XMPP.Connection.1.KeepAliveInterval',
    xml: 'readWrite; long range minInclusive=-1; default object "-1"',
    expect: { syntax: { type: 'long', ranges: [{ minInclusive: -1 }] }, xsdType: 'xsd:long', default: { type: 'object', value: '-1' } },
  },
  {
    path: 'Device.IP.Diagnostics.IPLayerCapacityMetrics.MaxIPLayerCapacity',
    xml: 'readOnly version="2.14"; decimal (units Mbps)',
    expect: { version: '2.14', syntax: { type: 'decimal' }, xsdType: 'xsd:decimal' },
  },
  {
    path: 'Device.Optical.Interface.1.OpticalSignalLevel',
    xml: 'readOnly; dataType ref="Dbm1000" (int) refined: range -65536..65534 step 2',
    expect: { syntax: { type: 'int', dataType: 'Dbm1000', ranges: [{ minInclusive: -65536, maxInclusive: 65534, step: 2 }] } },
  },
  {
    path: 'Device.Optical.Interface.1.LowerOpticalThreshold',
    xml: 'readOnly status="obsoleted"; Dbm1000 range -127000..0 step 500',
    expect: { status: 'obsoleted', syntax: { type: 'int', ranges: [{ minInclusive: -127000, maxInclusive: 0, step: 500 }] } },
  },
  {
    path: 'Device.DSL.Line.1.UPBOKLEPb',
    xml: 'readOnly version="2.8"; <list/> unsignedInt ranges 0..1280 and 2047..2047',
    expect: {
      syntax: {
        type: 'list',
        item: { type: 'unsignedInt', ranges: [{ minInclusive: 0, maxInclusive: 1280 }, { minInclusive: 2047, maxInclusive: 2047 }] },
      },
    },
  },
  {
    path: 'Device.DSL.Diagnostics.SELTUER.UER',
    xml: 'readOnly; <list minItems="1" maxItems="4096" nestedBrackets="required"/> dataType ref="UERComplex" (list 2..2 of int)',
    expect: {
      syntax: {
        type: 'list',
        minItems: 1,
        maxItems: 4096,
        nestedBrackets: 'required',
        item: { type: 'list', dataType: 'UERComplex', minItems: 2, maxItems: 2, item: { type: 'int' } },
      },
    },
  },
  {
    path: 'Device.DOCSIS.Interface.1.ConnectivityStatus.StatusCode',
    xml: 'readOnly; string sizes 0..0 and 5..7',
    expect: { syntax: str([{ maxLength: 0 }, { minLength: 5, maxLength: 7 }]) },
  },
  {
    path: 'Device.Routing.Babel.MACKeySet.1.MACKey.2.KeyValue',
    xml: 'access="writeOnceReadOnly"; <syntax secured="true"> hexBinary',
    expect: { access: 'writeOnceReadOnly', hidden: true, syntax: { type: 'hexBinary' } },
  },
]

const TR098: readonly Fact[] = [
  {
    path: 'InternetGatewayDevice.DeviceSummary',
    xml: 'readOnly forcedInform="true" status="deprecated"; string maxLength 1024',
    expect: { forcedInform: true, status: 'deprecated', syntax: str([{ maxLength: 1024 }]) },
  },
  {
    path: 'InternetGatewayDevice.DeviceInfo.SpecVersion',
    xml: 'readOnly status="deprecated" forcedInform="true"; string maxLength 16; <default value="1.0" status="deleted"/>',
    expect: { forcedInform: true, status: 'deprecated', syntax: str([{ maxLength: 16 }]) },
  },
  {
    path: 'InternetGatewayDevice.DeviceInfo.HardwareVersion',
    xml: 'readOnly forcedInform="true"; string maxLength 64',
    expect: { forcedInform: true, activeNotify: 'normal', syntax: str([{ maxLength: 64 }]) },
  },
  {
    path: 'InternetGatewayDevice.DeviceInfo.SoftwareVersion',
    xml: 'readOnly activeNotify="forceEnabled" forcedInform="true"',
    expect: { forcedInform: true, activeNotify: 'forceEnabled' },
  },
  {
    path: 'InternetGatewayDevice.DeviceInfo.UpTime',
    xml: 'readOnly activeNotify="canDeny"; unsignedInt',
    expect: { activeNotify: 'canDeny', syntax: { type: 'unsignedInt' } },
  },
  {
    path: 'InternetGatewayDevice.DeviceInfo.ProvisioningCode',
    xml: 'readWrite activeNotify="forceEnabled" forcedInform="true"; string maxLength 64',
    expect: { writable: true, activeNotify: 'forceEnabled', forcedInform: true },
  },
  {
    path: 'InternetGatewayDevice.ManagementServer.PeriodicInformInterval',
    xml: 'readWrite; unsignedInt range minInclusive=1',
    expect: { writable: true, syntax: { type: 'unsignedInt', ranges: [{ minInclusive: 1 }] } },
  },
  {
    path: 'InternetGatewayDevice.ManagementServer.ConnectionRequestURL',
    xml: 'readOnly activeNotify="forceDefaultEnabled" forcedInform="true"; string maxLength 256',
    expect: { activeNotify: 'forceDefaultEnabled', forcedInform: true, syntax: str([{ maxLength: 256 }]) },
  },
  {
    path: 'InternetGatewayDevice.ManagementServer.Password',
    xml: 'readWrite; <syntax hidden="true"> string maxLength 256',
    expect: { hidden: true, writable: true },
  },
  {
    path: 'InternetGatewayDevice.ManagementServer.ParameterKey',
    xml: 'readOnly activeNotify="canDeny" forcedInform="true"; string maxLength 32',
    expect: { forcedInform: true, activeNotify: 'canDeny', syntax: str([{ maxLength: 32 }]) },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.SSID',
    xml: 'readWrite; string maxLength 32',
    expect: { path: 'InternetGatewayDevice.LANDevice.{i}.WLANConfiguration.{i}.SSID', writable: true, syntax: str([{ maxLength: 32 }]) },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.Channel',
    xml: 'readWrite; unsignedInt range 0..255',
    expect: { syntax: { type: 'unsignedInt', ranges: [{ minInclusive: 0, maxInclusive: 255 }] } },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.BeaconType',
    xml: 'readWrite; enumeration None Basic WPA 11i BasicandWPA(obsoleted) Basicand11i(obsoleted) WPAand11i BasicandWPAand11i(obsoleted)',
    expect: { syntax: { type: 'string', enumeration: ['None', 'Basic', 'WPA', '11i', 'BasicandWPA', 'Basicand11i', 'WPAand11i', 'BasicandWPAand11i'] } },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.WEPKey.3.WEPKey',
    xml: 'readWrite; <syntax hidden="true"> string maxLength 128',
    expect: { hidden: true, syntax: str([{ maxLength: 128 }]) },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.Enable',
    xml: 'readWrite; boolean',
    expect: { writable: true, syntax: { type: 'boolean' } },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.BSSID',
    xml: 'readOnly; <string/>',
    expect: { writable: false, syntax: { type: 'string' } },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.PossibleChannels',
    xml: 'readOnly; <list><size maxLength="1024"/></list> <string/>',
    expect: { syntax: { type: 'list', sizes: [{ maxLength: 1024 }], item: { type: 'string' } } },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.TotalBytesSent',
    xml: 'readOnly activeNotify="canDeny"; unsignedInt',
    expect: { activeNotify: 'canDeny', syntax: { type: 'unsignedInt' } },
  },
  {
    path: 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress',
    xml: 'readWrite forcedInform="true" activeNotify="forceDefaultEnabled"; dataType ref="IPAddress" (string maxLength 45)',
    expect: { forcedInform: true, activeNotify: 'forceDefaultEnabled', syntax: { type: 'string', dataType: 'IPAddress', sizes: [{ maxLength: 45 }] } },
  },
  {
    path: 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.5.ExternalPort',
    xml: 'readWrite; <unsignedInt/>',
    expect: { writable: true, syntax: { type: 'unsignedInt' } },
  },
  {
    path: 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.5.PortMappingProtocol',
    xml: 'readWrite; enumeration TCP UDP',
    expect: { syntax: { type: 'string', enumeration: ['TCP', 'UDP'] } },
  },
  {
    path: 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.5.PortMappingLeaseDuration',
    xml: 'readWrite activeNotify="canDeny"; unsignedInt',
    expect: { writable: true, activeNotify: 'canDeny' },
  },
  {
    path: 'InternetGatewayDevice.Time.NTPServer1',
    xml: 'readWrite; string maxLength 64 (not deprecated in TR-098)',
    expect: { status: 'current', syntax: str([{ maxLength: 64 }]) },
  },
  {
    path: 'InternetGatewayDevice.Time.LocalTimeZone',
    xml: 'readWrite status="obsoleted"; string maxLength 6',
    expect: { status: 'obsoleted', syntax: str([{ maxLength: 6 }]) },
  },
  {
    path: 'InternetGatewayDevice.LANDevice.1.Hosts.Host.9.MACAddress',
    xml: 'readOnly; dataType ref="MACAddress"',
    expect: { syntax: { type: 'string', dataType: 'MACAddress', sizes: [{ maxLength: 17 }] } },
  },
  {
    path: 'InternetGatewayDevice.UPnP.Device.UPnPQoSDevice',
    xml: 'name="UPnPQoSDevice " (a trailing space in the XML) readWrite; boolean',
    expect: { name: 'UPnPQoSDevice', writable: true, syntax: { type: 'boolean' } },
  },
  {
    path: 'InternetGatewayDevice.LANDeviceNumberOfEntries',
    xml: 'readOnly; unsignedInt',
    expect: { writable: false, syntax: { type: 'unsignedInt' } },
  },
]

const OBJECTS: readonly { model: DataModelDefinitions; path: string; xml: string; expect: Record<string, unknown> }[] = [
  {
    model: tr181,
    path: 'Device.WiFi.SSID.5.',
    xml: 'Device.WiFi.SSID.{i}. access="readWrite" numEntriesParameter="SSIDNumberOfEntries" enableParameter="Enable" minEntries="0" maxEntries="unbounded" version="2.0"',
    expect: {
      kind: 'object',
      path: 'Device.WiFi.SSID.{i}.',
      multiInstance: true,
      access: 'readWrite',
      writable: true,
      minEntries: 0,
      maxEntries: undefined,
      numEntriesParameter: 'Device.WiFi.SSIDNumberOfEntries',
      enableParameter: 'Device.WiFi.SSID.{i}.Enable',
      version: '2.0',
    },
  },
  {
    model: tr181,
    path: 'Device.DeviceInfo.',
    xml: 'access="readOnly" minEntries="1" maxEntries="1" version="2.0"',
    expect: { kind: 'object', multiInstance: false, access: 'readOnly', writable: false, minEntries: 1, maxEntries: 1 },
  },
  {
    model: tr181,
    path: 'Device.ManagementServer.ManageableDevice.2.',
    xml: 'access="readOnly" numEntriesParameter="ManageableDeviceNumberOfEntries" minEntries="0" maxEntries="unbounded"',
    expect: { multiInstance: true, access: 'readOnly', writable: false, numEntriesParameter: 'Device.ManagementServer.ManageableDeviceNumberOfEntries' },
  },
  {
    model: tr181,
    path: 'Device.Ghn.Interface.1.SMMaskedBand.3.',
    xml: 'access="readWrite" minEntries="0" maxEntries="32"',
    expect: { multiInstance: true, access: 'readWrite', maxEntries: 32 },
  },
  {
    model: tr181,
    path: 'Device.WiFi.AccessPoint.1.AC.2.',
    xml: 'access="readOnly" minEntries="4" maxEntries="4" version="2.8"',
    expect: { multiInstance: true, minEntries: 4, maxEntries: 4, version: '2.8' },
  },
  {
    model: tr181,
    path: 'Device.NAT.PortMapping.',
    xml: 'the table above Device.NAT.PortMapping.{i}. (access="readWrite")',
    expect: { kind: 'table', parent: 'Device.NAT.', writable: true },
  },
  {
    model: tr098,
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.',
    xml: 'access="readOnly" minEntries="0" maxEntries="unbounded" numEntriesParameter="LANWLANConfigurationNumberOfEntries"',
    expect: {
      kind: 'object',
      multiInstance: true,
      access: 'readOnly',
      writable: false,
      numEntriesParameter: 'InternetGatewayDevice.LANDevice.{i}.LANWLANConfigurationNumberOfEntries',
    },
  },
  {
    model: tr098,
    path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.PreSharedKey.4.',
    xml: 'access="readOnly" minEntries="10" maxEntries="10"',
    expect: { minEntries: 10, maxEntries: 10 },
  },
  {
    model: tr098,
    path: 'InternetGatewayDevice.WANDevice.',
    xml: 'the table above InternetGatewayDevice.WANDevice.{i}. (access="readOnly")',
    expect: { kind: 'table', writable: false },
  },
]

describe('TR-181 2.17 parameters, as the XML defines them', () => {
  it.each(TR181.map((f) => [f.path, f] as const))('%s', (_path, fact) => {
    const d = tr181.lookup(fact.path)
    expect(d, fact.xml).toMatchObject({ kind: 'parameter', ...fact.expect })
  })
})

describe('TR-098 1.8 (InternetGatewayDevice:1.14) parameters, as the XML defines them', () => {
  it.each(TR098.map((f) => [f.path, f] as const))('%s', (_path, fact) => {
    const d = tr098.lookup(fact.path)
    expect(d, fact.xml).toMatchObject({ kind: 'parameter', ...fact.expect })
  })
})

describe('objects and tables, as the XML defines them', () => {
  it.each(OBJECTS.map((f) => [f.path, f] as const))('%s', (_path, fact) => {
    expect(fact.model.lookup(fact.path), fact.xml).toMatchObject(fact.expect)
  })
})

describe('what the tables leave out or list', () => {
  it('covers at least 50 parameters across both models', () => {
    expect(TR181.length + TR098.length).toBeGreaterThanOrEqual(50)
  })

  it('drops deleted items: ManageableDevice.{i}.Alias (status="deleted"), Device.PPP.Interface.{i}.PPPoA. (deleted object)', () => {
    expect(tr181.lookup('Device.ManagementServer.ManageableDevice.1.Alias')).toBeUndefined()
    expect(tr181.lookup('Device.DSL.Line.1.StandardsSupported')).toBeUndefined()
    expect(tr181.lookup('Device.PPP.Interface.1.PPPoA.')).toBeUndefined()
    expect(tr181.lookup('Device.PPP.Interface.1.')).toMatchObject({ kind: 'object' })
  })

  it('has no description text', () => {
    const d = tr181.lookup('Device.DeviceInfo.UpTime') as object
    expect(Object.keys(d)).not.toContain('description')
  })

  it('lists the forced-inform parameters: the seven TR-181 ones with forcedInform="true"', () => {
    expect([...tr181.forcedInform].sort()).toEqual(
      [
        'Device.RootDataModelVersion',
        'Device.DeviceInfo.HardwareVersion',
        'Device.DeviceInfo.SoftwareVersion',
        'Device.DeviceInfo.ProvisioningCode',
        'Device.ManagementServer.ParameterKey',
        'Device.ManagementServer.ConnectionRequestURL',
        'Device.ManagementServer.AliasBasedAddressing',
      ].sort(),
    )
    expect(tr098.forcedInform).toEqual(expect.arrayContaining(['InternetGatewayDevice.DeviceSummary', 'InternetGatewayDevice.DeviceInfo.SpecVersion']))
  })

  it('lists the parameters whose active notification cannot be turned off (activeNotify="forceEnabled")', () => {
    expect([...tr181.forcedActiveNotification].sort()).toEqual(['Device.DeviceInfo.ProvisioningCode', 'Device.DeviceInfo.SoftwareVersion'])
    expect(tr181.defaultActiveNotification).toContain('Device.ManagementServer.ConnectionRequestURL')
    expect(tr098.forcedActiveNotification).toEqual(
      expect.arrayContaining(['InternetGatewayDevice.DeviceInfo.SoftwareVersion', 'InternetGatewayDevice.DeviceInfo.ProvisioningCode']),
    )
  })

  it('names the models as their <model> elements do', () => {
    expect([tr181.model, tr181.root]).toEqual(['Device:2.17', 'Device.'])
    expect([tr098.model, tr098.root]).toEqual(['InternetGatewayDevice:1.14', 'InternetGatewayDevice.'])
  })
})
