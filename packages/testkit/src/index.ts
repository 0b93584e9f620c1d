export type { ServiceEndpoints, ServiceEndpointVariable } from './service-endpoints.js';
export {
  MissingServiceEndpointsError,
  parseKafkaBrokers,
  resolveServiceEndpoints,
  SERVICE_ENDPOINT_VARIABLES,
} from './service-endpoints.js';
export { uniqueName } from './unique-name.js';
export type { WaitForOptions } from './wait-for.js';
export { WaitForTimeoutError, waitFor } from './wait-for.js';
