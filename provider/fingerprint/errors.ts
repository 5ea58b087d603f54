/**
 * Raised when a source fingerprint cannot be computed: Go is missing, `go list` or `go env`
 * fails, a request value is invalid, or the kodata tree cannot be read as ko would read it.
 */
export class FingerprintError extends Error {
    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = "FingerprintError";
    }
}
