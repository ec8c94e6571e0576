/**
 * {@link DeviceValueOptions}: the DeviceInfo and ManagementServer values both built-in models take
 * ({@link createSampleDeviceModel}, {@link createSimulatedModel}).
 *
 * @module
 */

/**
 * Values of a built-in model's `DeviceInfo.` and `ManagementServer.` (below its root, `Device.` or
 * `InternetGatewayDevice.`); every field has a default.
 *
 * @category Data models
 */
export interface DeviceValueOptions {
  /** `DeviceInfo.HardwareVersion`; default `1.0`. */
  readonly hardwareVersion?: string
  /** `DeviceInfo.SoftwareVersion`; default `1.0.0`. */
  readonly softwareVersion?: string
  /** `DeviceInfo.ProvisioningCode`; default empty. */
  readonly provisioningCode?: string
  /** `ManagementServer.URL`; default empty. */
  readonly acsUrl?: string
  /** `ManagementServer.Username`; default empty. */
  readonly acsUsername?: string
  /** `ManagementServer.Password` (reads as empty); default empty. */
  readonly acsPassword?: string
  /** `ManagementServer.PeriodicInformEnable`; default true. */
  readonly periodicInformEnable?: boolean
  /** `ManagementServer.PeriodicInformInterval` in seconds; default 300. */
  readonly periodicInformInterval?: number
  /** `ManagementServer.PeriodicInformTime`; default the Unknown Time. */
  readonly periodicInformTime?: string
  /** `ManagementServer.ConnectionRequestURL`; default empty. */
  readonly connectionRequestUrl?: string
  /** `ManagementServer.ConnectionRequestUsername`; default empty. */
  readonly connectionRequestUsername?: string
  /** `ManagementServer.ConnectionRequestPassword` (reads as empty); default empty. */
  readonly connectionRequestPassword?: string
}
