import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** The private CA's certificate: what a client is told to trust. */
  readonly caFile: string;
  /** A server certificate for 127.0.0.1 and localhost signed by that CA, and its key. */
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * A throw-away private CA and a server certificate it signed, valid one day, made in `dir` with
 * the `openssl` binary (P-256 keys: quick to generate). A missing openssl fails the caller
 * rather than skipping it, so TLS never goes untested unnoticed.
 */
export function makeTestCertificates(dir: string): TestCertificates {
  const at = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  writeFileSync(at('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const steps = [
    ['req', '-x509', ...ec, '-subj', '/CN=indexflow-test-ca', '-days', '1'].concat([
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
    ]),
    ['req', ...ec, '-subj', '/CN=127.0.0.1', '-keyout', at('server.key'), '-out', at('server.csr')],
    ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key')].concat([
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      at('server.ext'),
      '-out',
      at('server.pem'),
    ]),
  ];
  for (const args of steps) {
    try {
      execFileSync('openssl', args, { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed (is openssl installed?)`, {
        cause: error,
      });
    }
  }
  return { caFile: at('ca.pem'), certFile: at('server.pem'), keyFile: at('server.key') };
}
