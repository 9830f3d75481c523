// 409 answers share one definition, answered by the global domain-errors middleware.
export { ConflictError } from '../../utils/errors';
