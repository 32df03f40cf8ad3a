<?php

declare(strict_types=1);

namespace PhpBackend;

/** The data behind the example route. */
interface ProductCatalog
{
    /** @return list<array{id: int, name: string}> */
    public function products(): array;
}
