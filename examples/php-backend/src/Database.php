<?php

declare(strict_types=1);

namespace PhpBackend;

use PDO;
use PDOException;

/**
 * One lazily opened connection. RDS rotates the managed master password every 7 days while
 * ECS injects DB_USERNAME and DB_PASSWORD only when a task starts: on an authentication
 * failure the credentials are fetched again from DB_SECRET_ARN, the connection retried once,
 * and the new credentials cached until the next failure (docs/architecture.md, "Password rotation").
 */
final class Database
{
    private ?PDO $pdo = null;
    private ?string $username;
    private ?string $password;
    /** @var callable(string, string, string): PDO */
    private $connect;
    private int $refetches = 0;

    /** @param (callable(string, string, string): PDO)|null $connect */
    public function __construct(
        private readonly Settings $settings,
        private readonly SecretSource $secrets,
        ?callable $connect = null,
    ) {
        $this->username = $settings->dbUsername;
        $this->password = $settings->dbPassword;
        $this->connect = $connect ?? static fn (string $dsn, string $user, string $password): PDO => new PDO(
            $dsn,
            $user,
            $password,
            [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 5],
        );
    }

    /** Postgres answers 28P01 (or "password authentication failed"), MySQL error 1045. */
    public static function isAuthenticationFailure(PDOException $e): bool
    {
        return (bool) preg_match('/SQLSTATE\[28(000|P01)\]|password authentication failed|\[1045\]/', $e->getMessage());
    }

    public function dsn(): string
    {
        $s = $this->settings;
        // The platform's parameter groups refuse connections without TLS (rds.force_ssl, require_secure_transport).
        return $s->dbDriver === 'mysql'
            ? "mysql:host={$s->dbHost};port={$s->dbPort};dbname={$s->dbName};charset=utf8mb4"
            : "pgsql:host={$s->dbHost};port={$s->dbPort};dbname={$s->dbName};sslmode=require";
    }

    public function connection(): PDO
    {
        if ($this->pdo !== null) {
            return $this->pdo;
        }
        try {
            if ($this->username === null || $this->password === null) {
                $this->refetch();
            }
            return $this->pdo = ($this->connect)($this->dsn(), (string) $this->username, (string) $this->password);
        } catch (PDOException $e) {
            if (!self::isAuthenticationFailure($e) || $this->settings->dbSecretArn === null) {
                throw $e;
            }
            $this->refetch();
            return $this->pdo = ($this->connect)($this->dsn(), (string) $this->username, (string) $this->password);
        }
    }

    /** Drops the connection, e.g. after the server closed it; the next call reconnects. */
    public function reset(): void
    {
        $this->pdo = null;
    }

    /** How often the credentials were fetched from Secrets Manager (for logs and tests). */
    public function refetches(): int
    {
        return $this->refetches;
    }

    private function refetch(): void
    {
        if ($this->settings->dbSecretArn === null) {
            throw new \RuntimeException('no database credentials: DB_SECRET_ARN is not set');
        }
        $credentials = $this->secrets->databaseCredentials($this->settings->dbSecretArn);
        $this->username = $credentials['username'];
        $this->password = $credentials['password'];
        $this->refetches++;
    }
}
