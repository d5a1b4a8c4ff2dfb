/**
 * The names one deployment uses on a shared NATS account. Without a deployment
 * name everything is as the subjects table says (`fill.>`, stream FILLS,
 * consumer `risk-positions`, bucket `md-last-book`). With one, say `prod-a`,
 * every subject on the wire gains a first token (`prod-a.fill.binanceusdm.BTC-PERP`),
 * streams, durable consumers and last-value buckets gain the name
 * (`prod-a_FILLS`, `prod-a_risk-positions`, `prod-a_md-last-book`), so two
 * deployments on one account neither see each other's messages nor collide on
 * a stream's subjects (JetStream refuses two streams that capture one subject).
 * Code keeps using the unscoped subjects; only the bus applies this.
 */
export interface DeploymentNames {
  readonly deployment: string | undefined;
  /** The subject (or pattern) as sent on the wire. */
  subject(subject: string): string;
  /** The subject code sees for a wire subject of this deployment. */
  unscope(wireSubject: string): string;
  stream(name: string): string;
  consumer(name: string): string;
  bucket(name: string): string;
}

const DEPLOYMENT = /^[A-Za-z0-9_-]{1,32}$/;

export function isDeploymentName(name: string): boolean {
  return DEPLOYMENT.test(name);
}

export function deploymentNames(deployment?: string): DeploymentNames {
  if (deployment === undefined || deployment === '') {
    return { deployment: undefined, subject: (s) => s, unscope: (s) => s, stream: (n) => n, consumer: (n) => n, bucket: (n) => n };
  }
  if (!isDeploymentName(deployment)) throw new Error(`invalid deployment name ${JSON.stringify(deployment)}: 1 to 32 letters, digits, '-' or '_'`);
  const head = `${deployment}.`;
  return {
    deployment,
    subject: (s) => `${head}${s}`,
    unscope: (s) => (s.startsWith(head) ? s.slice(head.length) : s),
    stream: (n) => `${deployment}_${n}`,
    consumer: (n) => `${deployment}_${n}`,
    bucket: (n) => `${deployment}_${n}`,
  };
}
