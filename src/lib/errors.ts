// Typed errors thrown by services and routes; mapped to HTTP in one place
// (src/middleware/errors.ts).
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
export class NotFoundError extends HttpError {
  constructor(message = "Not found") {
    super(404, message);
  }
}
export class ForbiddenError extends HttpError {
  constructor(message = "Forbidden") {
    super(403, message);
  }
}
export class BadRequestError extends HttpError {
  constructor(message = "Bad request") {
    super(400, message);
  }
}
/** Someone else changed the record since the user opened it. */
export class ConflictError extends HttpError {
  constructor(message = "Conflict") {
    super(409, message);
  }
}
