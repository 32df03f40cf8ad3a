/** RDS instances and the groups they name. */
import { MockFamily } from "./context";

export const rds: MockFamily = {
    file: "rds.ts",
    modules: ["rds"],
    outputs: {
        "aws:rds/instance:Instance": (r) => {
            const inputs = r.inputs;
            const identifier: string = inputs.identifier ?? `${r.name}-${r.hex(7)}`;
            const port = inputs.port ?? (String(inputs.engine).startsWith("mysql") ? 3306 : 5432);
            const address = `${identifier}.${r.hex(12)}.${r.region}.rds.${r.partition.dnsSuffix}`;
            const secretId = `rds!db-${r.uuid()}`;
            return {
                id: identifier,
                state: {
                    identifier,
                    arn: r.arn("rds", `db:${identifier}`),
                    resourceId: `db-${r.hex(26).toUpperCase()}`,
                    address,
                    port,
                    endpoint: `${address}:${port}`,
                    masterUserSecrets: inputs.manageMasterUserPassword
                        ? [
                              {
                                  secretArn: r.arn("secretsmanager", `secret:${secretId}-${r.hex(6)}`),
                                  kmsKeyId: inputs.masterUserSecretKmsKeyId ?? r.arn("kms", "alias/aws/secretsmanager"),
                                  secretStatus: "active",
                              },
                          ]
                        : [],
                },
            };
        },
        "aws:rds/parameterGroup:ParameterGroup": (r) => ({
            id: r.physical,
            state: { name: r.physical, arn: r.arn("rds", `pg:${r.physical}`) },
        }),
        "aws:rds/subnetGroup:SubnetGroup": (r) => ({
            id: r.physical,
            state: { name: r.physical, arn: r.arn("rds", `subgrp:${r.physical}`) },
        }),
    },
};
