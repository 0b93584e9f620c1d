// Grants ACL bindings on kafkajs's admin client, whichever KAFKA_CLIENT the process uses: the
// native client's binding (@confluentinc/kafka-javascript) exposes no ACL API.
import kafkajs, { type AclEntry, type Admin } from 'kafkajs';
import type { AclGrant, AclOperation, AclPatternType, AclResourceType } from './acl-plan.js';
import { createKafkaClient } from './kafka-client.js';
import { KafkaOperationError } from './kafka-errors.js';
import type { StructuredLogger } from './kafkajs-log-bridge.js';

// Node's named-export detection misses these CommonJS exports of kafkajs: read them off the default.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const RESOURCE: Readonly<Record<AclResourceType, AclEntry['resourceType']>> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  'transactional-id': AclResourceTypes.TRANSACTIONAL_ID,
};
const PATTERN: Readonly<Record<AclPatternType, AclEntry['resourcePatternType']>> = {
  literal: ResourcePatternTypes.LITERAL,
  prefixed: ResourcePatternTypes.PREFIXED,
};
const OPERATION: Readonly<Record<AclOperation, AclEntry['operation']>> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
  delete: AclOperationTypes.DELETE,
};

/** kafkajs's binding for a grant: ALLOW, from any host. */
export function kafkajsAclEntry(grant: AclGrant): AclEntry {
  return {
    principal: grant.principal,
    host: '*',
    resourceType: RESOURCE[grant.resourceType],
    resourceName: grant.resourceName,
    resourcePatternType: PATTERN[grant.patternType],
    operation: OPERATION[grant.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

export interface AclAdminOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger?: StructuredLogger;
}

/** Adds ACL bindings; a binding the brokers already hold is left as it is (Kafka's rule). */
export class KafkajsAclAdmin {
  readonly #admin: Admin;

  private constructor(admin: Admin) {
    this.#admin = admin;
  }

  static async open(options: AclAdminOptions): Promise<KafkajsAclAdmin> {
    const admin = createKafkaClient(options).admin();
    try {
      await admin.connect();
    } catch (cause) {
      throw new KafkaOperationError({ operation: 'connect admin', target: options.brokers.join(','), cause });
    }
    return new KafkajsAclAdmin(admin);
  }

  async grant(grants: readonly AclGrant[]): Promise<void> {
    if (grants.length === 0) return;
    try {
      await this.#admin.createAcls({ acl: grants.map(kafkajsAclEntry) });
    } catch (cause) {
      // Granting needs Alter on the cluster: a principal without it is refused here.
      throw new KafkaOperationError({
        operation: 'create ACLs',
        target: [...new Set(grants.map((g) => g.principal))].join(','),
        cause,
        retriable: false,
      });
    }
  }

  close(): Promise<void> {
    return this.#admin.disconnect();
  }
}
