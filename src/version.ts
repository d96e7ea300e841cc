/** Sluice's version, written into compiled IR as `sdkVersion: sluice-<version>`; kept equal to package.json by a test. */
export const SLUICE_VERSION = '0.1.0';
