// The fixtures live with the EDGAR mirror (tooling/edgar-mirror); the ingestor's tests read them here.
export { FIXTURES_DIR, SHARED_DIR, hasShared, readJson, readText } from '@symbology/edgar-mirror/test-data';
