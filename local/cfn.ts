/**
 * Reading the synthesized CloudFormation template as the local stack's
 * deployment: the resources it declares, the intrinsic functions its
 * properties use (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split),
 * resolved against the local resources that stand in for the AWS ones.
 */

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are arbitrary JSON.
export type Json = any;
export type Resource = { Type: string; Properties?: Record<string, Json>; DependsOn?: unknown };
export type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, Json> };

/** The account and region the local stack pretends to be. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
const LOCAL_STACK_UUID = '00000000-0000-4000-8000-000000000000';

/** What a logical id resolves to: its Ref value and its attributes (Arn, DomainName, ...). */
export interface LocalResource {
  ref: string;
  attributes?: Record<string, string>;
}

export class UnresolvedReference extends Error {}

export function resourcesOfType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/**
 * Resolves intrinsic functions in `value`. `resources` maps logical ids to their local stand-ins;
 * pseudo parameters (AWS::Region, AWS::AccountId, AWS::Partition, ...) resolve to the local ones.
 * A reference to anything else throws UnresolvedReference, naming it.
 */
export function resolve(value: Json, resources: Record<string, LocalResource>): Json {
  const pseudo: Record<string, string> = {
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'Carpeta',
    'AWS::StackId': `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/Carpeta/${LOCAL_STACK_UUID}`,
    'AWS::NoValue': '',
  };
  const ref = (id: string): string => {
    if (id in pseudo) return pseudo[id];
    const r = resources[id];
    if (!r) throw new UnresolvedReference(`Ref ${id}: no local resource stands in for it`);
    return r.ref;
  };
  const getAtt = (id: string, attr: string): string => {
    const v = resources[id]?.attributes?.[attr];
    if (v === undefined) throw new UnresolvedReference(`Fn::GetAtt ${id}.${attr}: no local value`);
    return v;
  };
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = v[k];
      if (k === 'Ref') return ref(arg);
      if (k === 'Fn::GetAtt') {
        const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
        return getAtt(id, attr);
      }
      if (k === 'Fn::Join') return (walk(arg[1]) as Json[]).join(arg[0]);
      if (k === 'Fn::Select') return (walk(arg[1]) as Json[])[Number(walk(arg[0]))];
      if (k === 'Fn::Split') return String(walk(arg[1])).split(arg[0]);
      if (k === 'Fn::Sub') {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        const bound = walk(vars) as Record<string, string>;
        return String(text).replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
          if (name in bound) return bound[name];
          const [id, attr] = name.split('.');
          return attr ? getAtt(id, attr) : ref(id);
        });
      }
    }
    return Object.fromEntries(keys.map((k) => [k, walk(v[k])]));
  };
  return walk(value);
}

/** The IAM role ARN the local stack gives a role's logical id. */
export const roleArn = (logicalId: string) => `arn:aws:iam::${LOCAL_ACCOUNT}:role/${logicalId}`;

/**
 * The identity policies attached to a role in the template: its inline `Policies` and every
 * `AWS::IAM::Policy` that names it in `Roles`, resolved. (The stack attaches no managed policies
 * to the function roles; a test asserts that in infra.)
 */
export function rolePolicies(
  template: Template,
  roleLogicalId: string,
  resources: Record<string, LocalResource>,
): Array<{ name: string; policy: Json }> {
  const out: Array<{ name: string; policy: Json }> = [];
  const role = template.Resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not an AWS::IAM::Role`);
  for (const p of (role.Properties?.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: Json }>) {
    out.push({ name: p.PolicyName, policy: resolve(p.PolicyDocument, resources) });
  }
  for (const [id, r] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    const roles = (r.Properties?.Roles ?? []) as Json[];
    if (roles.some((x) => x?.Ref === roleLogicalId)) {
      out.push({ name: id, policy: resolve(r.Properties?.PolicyDocument, resources) });
    }
  }
  return out;
}
