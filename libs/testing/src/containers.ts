/**
 * PostgreSQL and NATS JetStream in containers, through Testcontainers, for when the environment
 * gives neither (no DATABASE_URL/NATS_URL, nothing on 127.0.0.1:5432/4222). The images are the
 * local ones scripts/containers/build-images.sh makes from Debian packages (no registry is
 * reachable here), and nothing is ever pulled: a missing image is an error that says how to build
 * it. The engine is whatever Testcontainers finds (DOCKER_HOST, a Docker socket) or, failing that,
 * the podman API socket scripts/containers/podman-setup.sh starts. Ryuk (the reaper, an image of
 * its own) is off unless TESTCONTAINERS_RYUK_DISABLED says otherwise: containers are stopped by
 * `stop()`, and by the int project's global teardown for the ones testServices() started.
 */
import fs from 'node:fs';
import type * as Testcontainers from 'testcontainers';

export const TEST_POSTGRES_IMAGE =
  process.env.EDGEPLANE_TEST_POSTGRES_IMAGE || 'localhost/edgeplane/postgres:15';
export const TEST_NATS_IMAGE = process.env.EDGEPLANE_TEST_NATS_IMAGE || 'localhost/edgeplane/nats:2.9';
/** The API socket scripts/containers/podman-setup.sh starts. */
export const EDGEPLANE_PODMAN_SOCKET = '/run/edgeplane-podman/podman.sock';

export interface ContainerServices {
  databaseUrl: string;
  natsUrl: string;
  /** e.g. "podman 4.3.1 at unix:///run/edgeplane-podman/podman.sock" */
  engine: string;
  stop(): Promise<void>;
}

type Engine = { ok: true; engine: string } | { ok: false; reason: string };

let loaded: Promise<typeof Testcontainers> | undefined;

function loadTestcontainers(): Promise<typeof Testcontainers> {
  if (
    !process.env.DOCKER_HOST &&
    fs.existsSync(EDGEPLANE_PODMAN_SOCKET) &&
    !fs.existsSync('/var/run/docker.sock')
  ) {
    process.env.DOCKER_HOST = `unix://${EDGEPLANE_PODMAN_SOCKET}`;
  }
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  loaded ??= import('testcontainers');
  return loaded;
}

/** Whether a container engine answers, and which; otherwise why not (for a skip reason). */
export async function containerEngine(timeoutMs = 15_000): Promise<Engine> {
  try {
    const tc = await loadTestcontainers();
    const client = await withTimeout(tc.getContainerRuntimeClient(), timeoutMs, 'the container engine');
    const where = process.env.DOCKER_HOST ?? client.info.containerRuntime.remoteSocketPath;
    return { ok: true, engine: `${engineName(client.info)} at ${where}` };
  } catch (error) {
    return { ok: false, reason: `no container engine answers (${(error as Error).message.split('\n')[0]})` };
  }
}

function engineName(info: Testcontainers.ContainerRuntimeClient['info']): string {
  const rt = info.containerRuntime;
  const podman = rt.labels.some((l) => /podman/i.test(l)) || /podman/i.test(rt.remoteSocketPath);
  return `${podman ? 'podman' : 'docker'} (server version ${rt.serverVersion}, ${rt.operatingSystem})`;
}

/**
 * Starts PostgreSQL 15 (database `test`, trust auth) and nats-server with JetStream from the local
 * images. Throws an error that says why when it cannot: no engine, an image not built, a
 * container that did not come up.
 */
export async function startContainerServices(
  images: { postgres?: string; nats?: string } = {},
): Promise<ContainerServices> {
  const postgresImage = images.postgres ?? TEST_POSTGRES_IMAGE;
  const natsImage = images.nats ?? TEST_NATS_IMAGE;
  const engine = await containerEngine();
  if (!engine.ok) {
    throw new Error(
      `cannot start PostgreSQL and NATS in containers: ${engine.reason}. Start the podman API with ` +
        'scripts/containers/podman-setup.sh (or set DOCKER_HOST), or give DATABASE_URL and NATS_URL',
    );
  }
  const tc = await loadTestcontainers();
  const client = await tc.getContainerRuntimeClient();
  for (const image of [postgresImage, natsImage]) {
    if (!(await client.image.exists(tc.ImageName.fromString(image)))) {
      throw new Error(
        `cannot start PostgreSQL and NATS in containers: image ${image} is not on ${engine.engine} ` +
          '(no registry is reachable, nothing is pulled): build it with scripts/containers/build-images.sh',
      );
    }
  }
  const started: Testcontainers.StartedTestContainer[] = [];
  const stop = async () => {
    await Promise.all(started.splice(0).map((c) => c.stop({ timeout: 5_000 }).catch(() => undefined)));
  };
  // a container whose start() failed half-way (created, never reported ready) is found by this label
  const session = `${process.pid}-${Date.now().toString(36)}`;
  const removeHalfStarted = async () => {
    const infos = await client.container.list().catch(() => []);
    for (const info of infos.filter((i) => i.Labels?.['edgeplane.test.session'] === session)) {
      const container = client.container.getById(info.Id);
      await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
      await client.container.remove(container, { removeVolumes: true }).catch(() => undefined);
    }
  };
  try {
    const pg = await new tc.GenericContainer(postgresImage)
      .withPullPolicy(tc.PullPolicy.defaultPolicy())
      .withEnvironment({ POSTGRES_DB: 'test' })
      .withExposedPorts(5432)
      .withLabels({ 'edgeplane.test': 'postgres', 'edgeplane.test.session': session })
      .withWaitStrategy(tc.Wait.forLogMessage(/ready to accept connections/, 1))
      .withStartupTimeout(120_000)
      .start()
      .catch((error: Error) => {
        throw new Error(`PostgreSQL container (${postgresImage}) did not start: ${error.message}`);
      });
    started.push(pg);
    const nats = await new tc.GenericContainer(natsImage)
      .withPullPolicy(tc.PullPolicy.defaultPolicy())
      .withCommand(['-js', '-sd', '/data'])
      .withExposedPorts(4222)
      .withLabels({ 'edgeplane.test': 'nats', 'edgeplane.test.session': session })
      .withWaitStrategy(tc.Wait.forLogMessage(/Server is ready/, 1))
      .withStartupTimeout(60_000)
      .start()
      .catch((error: Error) => {
        throw new Error(`NATS container (${natsImage}) did not start: ${error.message}`);
      });
    started.push(nats);
    return {
      databaseUrl: `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/test`,
      natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
      engine: engine.engine,
      stop,
    };
  } catch (error) {
    await stop();
    await removeHalfStarted();
    throw error;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
