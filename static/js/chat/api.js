/* Writes and reads over HTTP: CSRF-protected JSON POSTs and GETs to /api/chat/..., one error type. */

const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code || "";
  }
}

export async function api(path, body) {
  const options = { credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.headers["X-CSRFToken"] = csrfToken;
    options.body = JSON.stringify(body);
  }
  return request(path, options);
}

/** A multipart POST (a file and its fields): the browser writes the Content-Type and its boundary. */
export async function apiForm(path, form) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken };
  return request(path, { method: "POST", credentials: "same-origin", headers: headers, body: form });
}

async function request(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    throw new ApiError(0, "No connection to the server", "network");
  }
  if (response.status === 401) {
    location.assign("/accounts/login/?next=" + encodeURIComponent(location.pathname));
    throw new ApiError(401, "Log in first", "not_authenticated");
  }
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  if (!response.ok) {
    const message = (data && data.error) || "Something went wrong (" + response.status + ")";
    throw new ApiError(response.status, message, data && data.code);
  }
  return { status: response.status, data: data };
}

export function newClientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
