<?php

declare(strict_types=1);

namespace PhpBackend;

use PDOException;

final class PdoProductCatalog implements ProductCatalog
{
    public function __construct(private readonly Database $database)
    {
    }

    public function products(): array
    {
        try {
            return $this->query();
        } catch (PDOException $e) {
            // A connection opened before a rotation can fail later; reconnect once with fresh credentials.
            if (!Database::isAuthenticationFailure($e)) {
                throw $e;
            }
            $this->database->reset();
            return $this->query();
        }
    }

    /** @return list<array{id: int, name: string}> */
    private function query(): array
    {
        $rows = $this->database->connection()->query('SELECT id, name FROM products ORDER BY id')->fetchAll(\PDO::FETCH_ASSOC);
        return array_map(static fn (array $r): array => ['id' => (int) $r['id'], 'name' => (string) $r['name']], $rows);
    }
}
