import * as pulumi from "@pulumi/pulumi";

/** An IAM policy statement; values may be Inputs, the policy is rendered with jsonStringify. */
export type Statement = Record<string, unknown>;

/** Trust of both service roles: ECS tasks of this account only. */
export function taskTrustPolicy(account: pulumi.Input<string>, ecsArnPattern: pulumi.Input<string>) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                // Confused-deputy guard (ECS developer guide, "Task IAM role").
                Condition: {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: { "aws:SourceArn": ecsArnPattern },
                },
            },
        ],
    };
}

export interface SecretAccess {
    secretArn: pulumi.Input<string>;
    secretKeyArn: pulumi.Input<string>;
    /** secretsmanager.<region>.<dns suffix>: the key decrypts only through Secrets Manager. */
    viaService: pulumi.Input<string>;
}

/** Read one secret and decrypt it through Secrets Manager only. */
export function secretStatements(s: SecretAccess | undefined): Statement[] {
    if (!s) return [];
    return [
        {
            Sid: "ReadDatabaseSecret",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: s.secretArn,
        },
        {
            Sid: "DecryptDatabaseSecret",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: s.secretKeyArn,
            Condition: { StringEquals: { "kms:ViaService": s.viaService } },
        },
    ];
}

export interface ExecutionRoleInputs {
    logGroupArn: pulumi.Input<string>;
    /**
     * ARNs of the ECR repositories the agent pulls from: the configured image's when it is private
     * ECR, and the service's own repository whenever a pipeline can deploy to it.
     */
    pullRepositoryArns: pulumi.Input<string>[];
    secret?: SecretAccess;
}

/** What the ECS agent does for one service: write its log group, pull its image, read its secret. */
export function executionStatements(i: ExecutionRoleInputs): Statement[] {
    const repos = i.pullRepositoryArns;
    return [
        {
            Sid: "WriteOwnLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${i.logGroupArn}:log-stream:*`,
        },
        ...(repos.length > 0
            ? [
                  {
                      Sid: "PullOwnImage",
                      Effect: "Allow",
                      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                      Resource: repos.length === 1 ? repos[0] : repos,
                  },
                  {
                      // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
                      Sid: "EcrLogin",
                      Effect: "Allow",
                      Action: "ecr:GetAuthorizationToken",
                      Resource: "*",
                  },
              ]
            : []),
        ...secretStatements(i.secret),
    ];
}

export interface TaskRoleInputs {
    secret?: SecretAccess;
    /** Statements the stack grants the service: exact actions on exact ARNs. */
    permissions: { actions: string[]; resources: string[] }[];
    execEnabled: boolean;
}

/** What the application itself may do. Empty means the role gets no policy at all. */
export function taskStatements(i: TaskRoleInputs): Statement[] {
    return [
        // The app re-reads the secret after RDS rotates it (every 7 days); ECS injects it only at start.
        ...secretStatements(i.secret),
        ...i.permissions.map((p, n) => ({
            Sid: `Granted${n}`,
            Effect: "Allow",
            Action: p.actions,
            Resource: p.resources,
        })),
        ...(i.execEnabled
            ? [
                  {
                      // ECS Exec channels have no resource-level permissions: AWS requires "*".
                      Sid: "EcsExec",
                      Effect: "Allow",
                      Action: [
                          "ssmmessages:CreateControlChannel",
                          "ssmmessages:CreateDataChannel",
                          "ssmmessages:OpenControlChannel",
                          "ssmmessages:OpenDataChannel",
                      ],
                      Resource: "*",
                  },
              ]
            : []),
    ];
}
