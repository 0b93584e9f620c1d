import {
  ACL_ROLES,
  type AclGrant,
  type AclRole,
  aclPlan,
  formatAclGrant,
  KafkajsAclAdmin,
} from '@indexflow/kafka';
import type { Command } from 'commander';

interface AclFlags {
  calculator?: string;
  corporateActions?: string;
  gateway?: string;
  feed?: string;
  operator?: string;
  calculatorId: string;
  corporateActionsId: string;
  gatewayId: string;
  dryRun?: boolean;
}

/** commander's camelCase key of each role's option (`--corporate-actions` → corporateActions). */
const FLAG_KEY: Readonly<
  Record<AclRole, 'calculator' | 'corporateActions' | 'gateway' | 'feed' | 'operator'>
> = {
  calculator: 'calculator',
  'corporate-actions': 'corporateActions',
  gateway: 'gateway',
  feed: 'feed',
  operator: 'operator',
};

const ROLE_HELP: Readonly<Record<AclRole, string>> = {
  calculator:
    'reads the inputs; the only writer of the level topics (committed, conflated, fast), closes and dead letters; its groups and transactional ids',
  'corporate-actions':
    'reads actions and raw FX; writes adjustments, FX and dead letters; its groups and transactional ids',
  gateway: 'reads the committed and fast level topics (its readers’ throw-away groups too), nothing else',
  feed: 'writes ticks and FX (raw and, as `replay --kafka` does, filtered)',
  operator:
    'the CLI’s operator commands: actions import, recompute (its own topic), eod consume, subscribe without --group',
};

/** The grants the flags ask for; throws AclPlanError on a bad principal or id. */
export function grantsOf(flags: AclFlags, topicPrefix: string): AclGrant[] {
  const principals: Partial<Record<AclRole, string>> = {};
  for (const role of ACL_ROLES) {
    const principal = flags[FLAG_KEY[role]];
    if (principal !== undefined) principals[role] = principal;
  }
  return aclPlan({
    topicPrefix,
    calculatorId: flags.calculatorId,
    corporateActionsId: flags.corporateActionsId,
    gatewayId: flags.gatewayId,
    principals,
  });
}

export function registerAclsCommand(admin: Command): void {
  const command = admin
    .command('acls')
    .description(
      'grant each service principal the Kafka ACLs it needs and nothing more (idempotent): above all, only the calculator may write the level topics',
    );
  for (const role of ACL_ROLES)
    command.option(`--${role} <principal>`, `User:<name> (or <name>): ${ROLE_HELP[role]}`);
  command
    .option('--calculator-id <id>', 'the calculator’s CALCULATOR_ID', process.env.CALCULATOR_ID || 'main')
    .option('--corporate-actions-id <id>', 'the corporate-actions service’s SERVICE_ID', 'main')
    .option('--gateway-id <id>', 'the gateway’s GATEWAY_ID', process.env.GATEWAY_ID || 'gateway')
    .option('--dry-run', 'print the bindings without connecting')
    .addHelpText(
      'after',
      '\nNeeds KAFKA_BROKERS (not with --dry-run), and credentials allowed to alter the cluster (a super user);\n' +
        'TOPIC_PREFIX optional. The brokers must deny what no ACL allows (allow.everyone.if.no.acl.found=false).\n' +
        'Grants only: remove a binding with the broker’s kafka-acls tool.\n',
    )
    .action(async (flags: AclFlags) => {
      const grants = grantsOf(flags, process.env.TOPIC_PREFIX ?? '');
      if (grants.length === 0) {
        process.stderr.write(
          `error: admin acls needs at least one of ${ACL_ROLES.map((r) => `--${r}`).join(', ')}\n`,
        );
        process.exitCode = 2;
        return;
      }
      const brokers = process.env.KAFKA_BROKERS;
      if (!flags.dryRun && !brokers) {
        process.stderr.write('error: admin acls needs KAFKA_BROKERS (or --dry-run)\n');
        process.exitCode = 2;
        return;
      }
      for (const grant of grants) process.stdout.write(`${formatAclGrant(grant)}\n`);
      if (flags.dryRun) return;
      const acls = await KafkajsAclAdmin.open({
        brokers: brokers!.split(','),
        clientId: 'indexflow-admin-acls',
      });
      try {
        await acls.grant(grants);
      } finally {
        await acls.close();
      }
      const principals = new Set(grants.map((g) => g.principal)).size;
      process.stdout.write(`admin acls: ${grants.length} bindings granted to ${principals} principals\n`);
    });
}
