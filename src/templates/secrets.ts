// `.kamal/secrets` written by `kamal init` (our own text; same three options as Kamal's template).

export const SECRETS_TEMPLATE = `# Secrets for config/deploy.yml: registry/password, env/secret, builder/secrets and
# accessories/*/env/secret name keys defined here. This file is meant to be committed,
# so never write a real credential in it: read each value from the environment, a file,
# or a password manager.
#
# With destinations (-d staging), shared values go in .kamal/secrets-common and
# destination values in .kamal/secrets.<destination>. This file is read only when no
# destination is given.

# From the environment:
# KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD

# From a command's output:
# RAILS_MASTER_KEY=$(cat config/master.key)

# From a password manager, fetching everything in one call and picking values out.
# Adapters: 1password, bitwarden, bitwarden-sm, lastpass, doppler, aws_secrets_manager,
# gcp, enpass, passbolt.
#
# SECRETS=$(kamal secrets fetch --adapter 1password --account my-account --from MyVault/MyItem KAMAL_REGISTRY_PASSWORD RAILS_MASTER_KEY)
# KAMAL_REGISTRY_PASSWORD=$(kamal secrets extract KAMAL_REGISTRY_PASSWORD $SECRETS)
# RAILS_MASTER_KEY=$(kamal secrets extract RAILS_MASTER_KEY $SECRETS)
`;
