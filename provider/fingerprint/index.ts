/**
 * Source fingerprints of ko images: digests of everything a `ko build` reads (local Go
 * packages, module versions, kodata, the toolchain and build settings), computed with `go list`
 * and without building, so that a preview can tell which images would change.
 */
export { computeSourceFingerprint, type SourceFingerprint, type SourceFingerprintRequest } from "./fingerprint";
export { digestSourceFingerprint, listChangedEntries } from "./compare";
export { FingerprintError } from "./errors";
