package dev.memos.cubes.store.sql;

import dev.memos.kernel.spi.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Supplier;

/** Kernel transactions as JTA transactions; a failure at commit is translated like any other. */
@ApplicationScoped
public class JtaTransactions implements Transactions {

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        try {
            return QuarkusTransaction.joiningExisting().call(work::get);
        } catch (RuntimeException e) {
            throw SqlErrors.translate("the transaction", e);
        }
    }
}
