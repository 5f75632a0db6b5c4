export { DEPLOY_YML_TEMPLATE } from "./deploy-yml.ts";
export { SECRETS_TEMPLATE } from "./secrets.ts";
export { SAMPLE_HOOKS } from "./sample-hooks.ts";
