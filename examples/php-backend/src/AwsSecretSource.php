<?php

declare(strict_types=1);

namespace PhpBackend;

use Aws\SecretsManager\SecretsManagerClient;

/**
 * GetSecretValue with the task role's credentials (the SDK finds them through the ECS
 * container credentials endpoint). The task role may read exactly DB_SECRET_ARN.
 */
final class AwsSecretSource implements SecretSource
{
    public function __construct(private readonly SecretsManagerClient $client)
    {
    }

    public static function forRegion(string $region): self
    {
        return new self(new SecretsManagerClient(['region' => $region, 'version' => '2017-10-17']));
    }

    public function databaseCredentials(string $secretArn): array
    {
        $result = $this->client->getSecretValue(['SecretId' => $secretArn]);
        // The RDS-managed secret is JSON with the keys username and password.
        $secret = json_decode((string) $result['SecretString'], true, 8, JSON_THROW_ON_ERROR);
        if (!is_array($secret) || !is_string($secret['username'] ?? null) || !is_string($secret['password'] ?? null)) {
            throw new \UnexpectedValueException('the database secret has no username and password');
        }
        return ['username' => $secret['username'], 'password' => $secret['password']];
    }
}
