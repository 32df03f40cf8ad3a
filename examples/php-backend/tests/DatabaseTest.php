<?php

declare(strict_types=1);

namespace PhpBackend\Tests;

use PDO;
use PDOException;
use PhpBackend\Database;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Fakes.php';

final class DatabaseTest extends TestCase
{
    private const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf';

    /** A connector that accepts only `$password` and records what it was given. */
    private function connector(string $password, array &$attempts, string $failure): callable
    {
        return static function (string $dsn, string $user, string $given) use ($password, &$attempts, $failure): PDO {
            $attempts[] = [$dsn, $user, $given];
            if ($given !== $password) {
                throw new PDOException($failure);
            }
            return new class () extends PDO {
                public function __construct()
                {
                }
            };
        };
    }

    public function testUsesTheInjectedCredentialsFirst(): void
    {
        $attempts = [];
        $secrets = new RecordingSecrets('rotated');
        $db = new Database(Fakes::settings(), $secrets, $this->connector('injected-at-start', $attempts, ''));
        $db->connection();
        self::assertSame(
            [['pgsql:host=db.example.internal;port=5432;dbname=app;sslmode=require', 'app', 'injected-at-start']],
            $attempts,
        );
        self::assertSame([], $secrets->calls);
    }

    public function testRefetchesTheSecretOnceAfterAPostgresAuthenticationFailure(): void
    {
        $attempts = [];
        $secrets = new RecordingSecrets('rotated');
        $failure = 'SQLSTATE[08006] [7] FATAL:  password authentication failed for user "app"';
        $db = new Database(Fakes::settings(), $secrets, $this->connector('rotated', $attempts, $failure));
        $first = $db->connection();
        self::assertSame([self::ARN], $secrets->calls);
        self::assertSame(['injected-at-start', 'rotated'], array_column($attempts, 2));
        // Cached: no new connection and no new fetch until the next failure.
        self::assertSame($first, $db->connection());
        self::assertSame(1, $db->refetches());
    }

    public function testRecognisesMysqlAccessDenied(): void
    {
        $attempts = [];
        $secrets = new RecordingSecrets('rotated');
        $failure = "SQLSTATE[HY000] [1045] Access denied for user 'app'@'10.0.1.5' (using password: YES)";
        $db = new Database(
            Fakes::settings(['DATABASE_DRIVER' => 'mysql', 'DB_PORT' => '3306']),
            $secrets,
            $this->connector('rotated', $attempts, $failure),
        );
        $db->connection();
        self::assertSame('mysql:host=db.example.internal;port=3306;dbname=app;charset=utf8mb4', $attempts[0][0]);
        self::assertSame(1, $db->refetches());
    }

    public function testOtherErrorsAreNotRetried(): void
    {
        $attempts = [];
        $secrets = new RecordingSecrets('rotated');
        $db = new Database(
            Fakes::settings(),
            $secrets,
            $this->connector('never', $attempts, 'SQLSTATE[08006] [7] could not connect to server: Connection refused'),
        );
        try {
            $db->connection();
            self::fail('expected the connection error');
        } catch (PDOException $e) {
            self::assertStringContainsString('Connection refused', $e->getMessage());
        }
        self::assertCount(1, $attempts);
        self::assertSame([], $secrets->calls);
    }

    public function testFetchesTheSecretWhenNothingWasInjected(): void
    {
        $attempts = [];
        $secrets = new RecordingSecrets('from-secret');
        $db = new Database(
            Fakes::settings(['DB_USERNAME' => '', 'DB_PASSWORD' => '']),
            $secrets,
            $this->connector('from-secret', $attempts, ''),
        );
        $db->connection();
        self::assertSame([self::ARN], $secrets->calls);
        self::assertCount(1, $attempts);
    }
}
