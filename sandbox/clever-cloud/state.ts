import { randomUUID } from 'node:crypto';

export type DeploymentState = 'WIP' | 'OK' | 'FAIL' | 'CANCELLED';

interface Deployment {
  id: number;
  uuid: string;
  date: number;
  commit: string;
  cause: string;
  visibleAt: number;
  finishAt: number;
  outcome: 'OK' | 'FAIL' | 'never';
  cancelled: boolean;
}

export interface SandboxApp {
  id: string;
  ownerId: string;
  name: string;
  commitId: string;
  env: Map<string, string>;
  deployments: Deployment[];
  redeployCalls: number;
  apiCalls: number;
}

/** Knobs a test turns to make the sandbox misbehave the way the real API can. */
export interface Faults {
  /** Share of API answers that are 5xx (0..1). */
  errorRate: number;
  /** Delay before every answer. */
  latencyMs: number;
  /** How a new deployment ends, and after how long. */
  deployOutcome: 'OK' | 'FAIL' | 'never';
  deployDurationMs: number;
  /** A new deployment answers 404 for this long, as the real API briefly does. */
  notFoundMs: number;
  /** Commits whose deployments fail whatever deployOutcome says. */
  failingCommits: string[];
}

export const defaultFaults: Faults = {
  errorRate: 0,
  latencyMs: 0,
  deployOutcome: 'OK',
  deployDurationMs: 300,
  notFoundMs: 100,
  failingCommits: [],
};

export class SandboxState {
  readonly apps = new Map<string, SandboxApp>();
  faults: Faults = { ...defaultFaults };
  /** Every API request received, whatever the app and answer: what a client's retries and breakers cost. */
  calls = 0;
  private nextDeploymentId = 1000;

  addApp(ownerId: string, appId: string, name: string, commitId: string): SandboxApp {
    const app: SandboxApp = {
      id: appId,
      ownerId,
      name,
      commitId,
      env: new Map(),
      deployments: [],
      redeployCalls: 0,
      apiCalls: 0,
    };
    this.apps.set(this.key(ownerId, appId), app);
    return app;
  }

  find(ownerId: string, appId: string): SandboxApp | undefined {
    return this.apps.get(this.key(ownerId, appId));
  }

  redeploy(app: SandboxApp, commit: string): Deployment {
    app.redeployCalls++;
    const now = Date.now();
    const outcome = this.faults.failingCommits.includes(commit) ? 'FAIL' : this.faults.deployOutcome;
    const deployment: Deployment = {
      id: this.nextDeploymentId++,
      uuid: `deployment-${randomUUID()}`,
      date: now,
      commit,
      cause: 'API',
      visibleAt: now + this.faults.notFoundMs,
      finishAt: now + this.faults.deployDurationMs,
      outcome,
      cancelled: false,
    };
    app.deployments.unshift(deployment);
    return deployment;
  }

  /** The state as the API would report it now; an OK deployment becomes the app's commit. */
  view(app: SandboxApp, d: Deployment) {
    let state: DeploymentState = 'WIP';
    if (d.cancelled) state = 'CANCELLED';
    else if (Date.now() >= d.finishAt && d.outcome !== 'never') state = d.outcome;
    if (state === 'OK') app.commitId = d.commit;
    return {
      id: d.id,
      uuid: d.uuid,
      date: d.date,
      state,
      action: 'DEPLOY',
      commit: d.commit,
      cause: d.cause,
      instances: 1,
      author: { id: 'user_sandbox', name: 'Sandbox' },
    };
  }

  visible(d: Deployment): boolean {
    return Date.now() >= d.visibleAt;
  }

  private key(ownerId: string, appId: string): string {
    return `${ownerId}/${appId}`;
  }
}
