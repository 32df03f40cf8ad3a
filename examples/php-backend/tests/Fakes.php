<?php

declare(strict_types=1);

namespace PhpBackend\Tests;

use PhpBackend\ProductCatalog;
use PhpBackend\SecretSource;
use PhpBackend\Settings;

final class Fakes
{
    /** @param array<string, string> $env */
    public static function settings(array $env = []): Settings
    {
        return Settings::fromEnvironment($env + [
            'SERVICE_NAME' => 'eshop',
            'SERVICE_PORT' => '8080',
            'SERVICE_PATH' => '/eshop',
            'DB_HOST' => 'db.example.internal',
            'DB_PORT' => '5432',
            'DB_NAME' => 'app',
            'DB_SECRET_ARN' => 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf',
            'DB_USERNAME' => 'app',
            'DB_PASSWORD' => 'injected-at-start',
        ]);
    }
}

final class RecordingSecrets implements SecretSource
{
    /** @var list<string> */
    public array $calls = [];

    public function __construct(private readonly string $password)
    {
    }

    public function databaseCredentials(string $secretArn): array
    {
        $this->calls[] = $secretArn;
        return ['username' => 'app', 'password' => $this->password];
    }
}

final class ArrayCatalog implements ProductCatalog
{
    /** @param list<array{id: int, name: string}> $rows */
    public function __construct(private readonly array $rows)
    {
    }

    public function products(): array
    {
        return $this->rows;
    }
}
