<?php

declare(strict_types=1);

namespace PhpBackend\Tests;

use PhpBackend\App;
use PhpBackend\ProductCatalog;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Fakes.php';

final class ProductsRouteTest extends TestCase
{
    public function testProductsAreServedUnderTheServicePath(): void
    {
        $rows = [['id' => 1, 'name' => 'Bandage'], ['id' => 2, 'name' => 'Thermometer']];
        $response = (new App(Fakes::settings(), new ArrayCatalog($rows)))->handle('GET', '/eshop/products');
        self::assertSame(200, $response->status);
        self::assertSame(['products' => $rows], $response->decoded());
    }

    public function testTheRouteFollowsServicePath(): void
    {
        $app = new App(Fakes::settings(['SERVICE_PATH' => '/pharmacy']), new ArrayCatalog([]));
        self::assertSame(200, $app->handle('GET', '/pharmacy/products')->status);
        self::assertSame(404, $app->handle('GET', '/eshop/products')->status);
    }

    public function testServiceRootListsRoutes(): void
    {
        $response = (new App(Fakes::settings(), new ArrayCatalog([])))->handle('GET', '/eshop');
        self::assertSame(['service' => 'eshop', 'routes' => ['/eshop/products']], $response->decoded());
    }

    public function testUnknownPathsAre404AndWritesAre405(): void
    {
        $app = new App(Fakes::settings(), new ArrayCatalog([]));
        self::assertSame(404, $app->handle('GET', '/eshop/orders')->status);
        self::assertSame(405, $app->handle('DELETE', '/eshop/products')->status);
    }

    public function testDatabaseErrorsAre503WithoutTheDriverMessage(): void
    {
        $failing = new class () implements ProductCatalog {
            public function products(): array
            {
                throw new \PDOException('SQLSTATE[08006] could not connect to server db.example.internal as app');
            }
        };
        $previous = ini_set('error_log', '/dev/null');
        try {
            $response = (new App(Fakes::settings(), $failing))->handle('GET', '/eshop/products');
        } finally {
            ini_set('error_log', (string) $previous);
        }
        self::assertSame(503, $response->status);
        self::assertSame(['error' => 'database unavailable'], $response->decoded());
    }

    public function testWithoutADatabaseTheRouteSays503(): void
    {
        self::assertSame(503, (new App(Fakes::settings(), null))->handle('GET', '/eshop/products')->status);
    }
}
