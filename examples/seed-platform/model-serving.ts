// The region's model-serving workload as the seed describes it: your model server, exporting
// the seed's custom metrics (model_inference_latency_seconds, model_requests_total, ...) on a
// port named `metrics`. The platform monitors it and its automation rules act on it, so it
// lives in the same chart. Replace the image with your own build (MODEL_SERVER_IMAGE).
import { Construct } from 'constructs';
import { NetworkPeer, PlatformNamespace, Workload } from '../../lib/index.js';

/** Namespace of the API gateway that sends inference requests (the only client allowed in). */
export const GATEWAY_NAMESPACE = process.env.GATEWAY_NAMESPACE ?? 'ai-gateway';

export const MODEL_SERVER_IMAGE = process.env.MODEL_SERVER_IMAGE ?? 'ghcr.io/aeon-nova/model-server:1.0.0';

export function modelServingWorkload(scope: Construct): Workload {
  new PlatformNamespace(scope, 'ServingNamespace', { name: 'ai-serving' });
  return new Workload(scope, 'ModelServing', {
    name: 'model-serving',
    namespace: 'ai-serving',
    kind: 'Deployment',
    replicas: 2,
    containers: [{
      name: 'server',
      image: MODEL_SERVER_IMAGE,
      env: [{ name: 'REQUEST_CACHE_ENABLED', value: 'false' }], // flipped by the high-latency remediation
      ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
      resources: { cpu: '2', memory: '8Gi' },
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
    }],
    service: { ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }] },
    // Inference traffic from the gateway only; the platform adds the scrape allow on 9090.
    ingressFrom: [{ peers: [NetworkPeer.namespace(GATEWAY_NAMESPACE)], ports: [8080] }],
  });
}
