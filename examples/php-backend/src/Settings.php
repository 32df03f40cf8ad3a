<?php

declare(strict_types=1);

namespace PhpBackend;

/**
 * What the platform injects into every container (docs/architecture.md, "What a container
 * gets"): read once at start, never written anywhere.
 */
final class Settings
{
    public function __construct(
        public readonly string $serviceName,
        public readonly int $port,
        public readonly string $servicePath,
        public readonly ?string $dbHost,
        public readonly int $dbPort,
        public readonly ?string $dbName,
        public readonly ?string $dbSecretArn,
        public readonly ?string $dbUsername,
        public readonly ?string $dbPassword,
        public readonly string $dbDriver,
    ) {
    }

    /** @param array<string, string> $env */
    public static function fromEnvironment(array $env): self
    {
        $get = static fn (string $k): ?string => isset($env[$k]) && $env[$k] !== '' ? $env[$k] : null;
        $driver = $get('DATABASE_DRIVER') ?? 'pgsql';
        if (!in_array($driver, ['pgsql', 'mysql'], true)) {
            throw new \InvalidArgumentException("DATABASE_DRIVER must be pgsql or mysql, got {$driver}");
        }
        $path = rtrim($get('SERVICE_PATH') ?? '/', '/');
        return new self(
            serviceName: $get('SERVICE_NAME') ?? 'php-backend',
            port: (int) ($get('SERVICE_PORT') ?? '8080'),
            servicePath: $path,
            dbHost: $get('DB_HOST'),
            dbPort: (int) ($get('DB_PORT') ?? ($driver === 'mysql' ? '3306' : '5432')),
            dbName: $get('DB_NAME'),
            dbSecretArn: $get('DB_SECRET_ARN'),
            dbUsername: $get('DB_USERNAME'),
            dbPassword: $get('DB_PASSWORD'),
            dbDriver: $driver,
        );
    }

    public function hasDatabase(): bool
    {
        return $this->dbHost !== null && $this->dbName !== null;
    }
}
