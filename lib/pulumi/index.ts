// Pulumi components: a separate entry point so that cdk8s-only users never load Pulumi.
export {};
