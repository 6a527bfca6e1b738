/**
 * IAM evaluation for the local gateway, by a maintained policy evaluator
 * (@cloud-copilot/iam-simulate), never by hand. It is AGPL-3.0-or-later: it is
 * a devDependency used by the local stack only, through this one module, and
 * never reaches a Lambda bundle (test/unit/bundles.test.ts builds the bundles).
 *
 * Decisions are cached per (principal, action, resource, context): the
 * policies do not change while a stack runs.
 */
import { getDenialReasons, runSimulation } from '@cloud-copilot/iam-simulate';
import type { Json } from '../cfn.ts';

export interface IamRequest {
  /** The caller as IAM sees it (an assumed-role session ARN). */
  principal: string;
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

export interface IamDecision {
  allowed: boolean;
  /** In words, for the log: which kind of policy said no, and how. */
  reason: string;
}

export interface IamPolicies {
  identity: Array<{ name: string; policy: Json }>;
  /** The resource's own policy (the bucket policy for S3), if it has one. */
  resource?: Json;
  account: string;
}

export class IamEvaluator {
  private readonly cache = new Map<string, IamDecision>();

  async decide(req: IamRequest, policies: IamPolicies): Promise<IamDecision> {
    const key = JSON.stringify([req, policies.identity.map((p) => p.name), !!policies.resource]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const result = await runSimulation(
      {
        request: {
          principal: req.principal,
          action: req.action,
          resource: { resource: req.resource, accountId: policies.account },
          contextVariables: req.context,
        },
        identityPolicies: policies.identity,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(policies.resource ? { resourcePolicy: policies.resource } : {}),
      },
      {},
    );
    let decision: IamDecision;
    if (result.resultType === 'error') {
      decision = { allowed: false, reason: `the request could not be evaluated: ${result.errors.message}` };
    } else if (result.overallResult === 'Allowed') {
      decision = { allowed: true, reason: 'allowed' };
    } else {
      const single = result.resultType === 'single' ? result.result : result.results[0];
      const denials = single ? getDenialReasons(single.analysis) : [];
      const explicit = denials.find((d) => d.denialType === 'Explicit');
      decision = {
        allowed: false,
        reason: explicit
          ? `an explicit deny in a ${explicit.policyType} policy`
          : `no ${denials[0]?.policyType === 'resource' ? 'resource-based' : 'identity-based'} policy allows the ` +
            `${req.action} action`,
      };
    }
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(key, decision);
    return decision;
  }
}
