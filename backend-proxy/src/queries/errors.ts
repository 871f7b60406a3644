/** An error a query handler raises on purpose; its message is shown to the Grafana user as is. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly status: number = 400
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

/** A query type that this proxy version cannot answer yet; 501 so the panel says so instead of staying blank. */
export class NotAvailableError extends QueryError {
  constructor(queryType: string, reason: string) {
    super(`queryType "${queryType}" is not available: ${reason}`, 501);
    this.name = 'NotAvailableError';
  }
}
