/** What the browser may send cross-origin; both flavours answer preflight with these. */
export const CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
export const CORS_ALLOWED_HEADERS = ["authorization", "content-type"];
export const CORS_MAX_AGE_SECONDS = 3600;
