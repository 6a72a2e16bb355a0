/**
 * Stands in for google-auth-library in the bundle (see build.js). @google/genai imports it only to authenticate with
 * Google Cloud credentials when it is given no API key; modelpick always gives it one (src/providers/gemini.ts), so
 * the library (with gaxios, gcp-metadata and jws) would be dead weight: half the Gemini chunk's load time, and code
 * that asks the cloud metadata server for credentials.
 */
export class GoogleAuth {
  constructor() {
    throw new Error("modelpick calls the Gemini API with an API key only; Google Cloud credentials are not supported");
  }
}
