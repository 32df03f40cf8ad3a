<?php

declare(strict_types=1);

namespace PhpBackend\Tests;

use PhpBackend\App;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Fakes.php';

final class HealthCheckTest extends TestCase
{
    public function testHealthPathAnswers200WithoutTouchingTheDatabase(): void
    {
        // No catalog at all: the health check must not depend on the database.
        $response = (new App(Fakes::settings(), null))->handle('GET', '/health');
        self::assertSame(200, $response->status);
        self::assertSame(['status' => 'ok', 'service' => 'eshop'], $response->decoded());
        self::assertSame('application/json', $response->headers['Content-Type']);
    }

    public function testHealthPathIgnoresQueryAndTrailingSlash(): void
    {
        $app = new App(Fakes::settings(), null);
        self::assertSame(200, $app->handle('GET', '/health/?probe=alb')->status);
        self::assertSame(200, $app->handle('HEAD', '/health')->status);
    }

    public function testHealthPathRejectsWrites(): void
    {
        self::assertSame(405, (new App(Fakes::settings(), null))->handle('POST', '/health')->status);
    }

    public function testSettingsComeFromThePlatformEnvironment(): void
    {
        $s = Fakes::settings(['SERVICE_PORT' => '9090', 'SERVICE_PATH' => '/pharmacy/']);
        self::assertSame(9090, $s->port);
        self::assertSame('/pharmacy', $s->servicePath);
        self::assertSame('pgsql', $s->dbDriver);
        self::assertTrue($s->hasDatabase());
    }

    public function testAnUnknownDriverIsRejectedByName(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage('DATABASE_DRIVER must be pgsql or mysql, got oracle');
        Fakes::settings(['DATABASE_DRIVER' => 'oracle']);
    }
}
