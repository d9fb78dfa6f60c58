package dev.memos.solr;

import dev.memos.kernel.search.IndexQuery;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.common.util.NamedList;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.memos.solr.SolrDocuments.length;

/**
 * BM25 with the statistics of the spaces searched, on Solr. Solr's own scores take a term's document frequency and
 * the average length from each shard's whole index (every tenant's texts, and deleted documents until merged);
 * memos instead counts them over the live documents of the spaces searched (one faceting request for the text and
 * the context fields together) and sends the score as a function of each document's term frequencies and analysed
 * length:
 * {@code sum over query terms of idf(t) * tf / (tf + k1 * (1 - b + b * length / avgLength))}, Lucene's BM25 with
 * its defaults. The function is evaluated only on documents holding at least one of the terms.
 */
final class SolrKeywords {
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private final CloudHttp2SolrClient client;
    private final String collection;

    SolrKeywords(CloudHttp2SolrClient client, String collection) {
        this.client = client;
        this.collection = collection;
    }

    /** Over the live documents of the spaces searched, for one field: how many have it, their summed lengths, dfs. */
    record Statistics(long documents, long lengths, Map<String, Long> frequencies) {
    }

    /** The query of the keyword list over {@code field} for the analysed {@code terms}, with the search's filters. */
    SolrQuery query(String field, List<String> terms, IndexQuery query, List<String> filters, Statistics scope) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(terms));
        SolrQuery q = new SolrQuery();
        filters.forEach(q::addFilterQuery);
        if (scope.documents() == 0) {
            return q.setQuery("-*:*").setRows(0);
        }
        double avgLength = (double) scope.lengths() / scope.documents();
        StringBuilder score = new StringBuilder("sum(0");
        for (String term : terms) {
            String param = "t" + distinct.indexOf(term);
            long df = scope.frequencies().getOrDefault(term, 0L);
            double idf = Math.log(1 + (scope.documents() - df + 0.5) / (df + 0.5));
            String tf = "termfreq(" + field + ",$" + param + ")";
            score.append(",product(").append(number(idf)).append(",div(").append(tf).append(",sum(").append(tf)
                    .append(",sum(").append(number(K1 * (1 - B))).append(",product(").append(number(K1 * B / avgLength))
                    .append(",field(").append(length(field)).append("))))))");
        }
        for (int i = 0; i < distinct.size(); i++) {
            q.set("t" + i, distinct.get(i));
        }
        q.setQuery("{!func}" + score.append(')'));
        q.addFilterQuery("{!terms f=" + field + " separator=' '}" + String.join(" ", distinct));
        return q.setRows(query.candidates());
    }

    /**
     * The statistics of each of {@code fields} over the live documents of the spaces searched, counted in one
     * faceting request: per field, how many documents have it and their summed lengths, and each term's document
     * frequency.
     */
    Map<String, Statistics> statistics(List<String> fields, List<String> terms, IndexQuery query) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(terms));
        StringBuilder facets = new StringBuilder("{");
        for (int f = 0; f < fields.size(); f++) {
            String field = fields.get(f);
            facets.append(f == 0 ? "" : ",").append("\"n").append(f).append("\":{\"type\":\"query\",\"q\":\"")
                    .append(length(field)).append(":[* TO *]\",\"facet\":{\"length\":\"sum(").append(length(field))
                    .append(")\"}}");
            for (int i = 0; i < distinct.size(); i++) {
                facets.append(",\"f").append(f).append('t').append(i).append("\":{\"type\":\"query\",\"q\":\"{!term f=")
                        .append(field).append(" v=$t").append(i).append("}\"}");
            }
        }
        SolrQuery q = SolrFilters.routed(new SolrQuery("*:*").addFilterQuery(SolrFilters.spaces(query.spaces())).setRows(0),
                query.spaces());
        for (int i = 0; i < distinct.size(); i++) {
            q.set("t" + i, distinct.get(i));
        }
        q.set("json.facet", facets.append('}').toString());
        NamedList<Object> result = SolrSearchIndex.call(collection, "count the keyword statistics of",
                () -> client.query(collection, q)).getResponse();
        @SuppressWarnings("unchecked")
        NamedList<Object> counts = (NamedList<Object>) result.get("facets");
        Map<String, Statistics> out = new HashMap<>();
        for (int f = 0; f < fields.size(); f++) {
            NamedList<?> n = (NamedList<?>) counts.get("n" + f);
            long docs = n == null ? 0 : ((Number) n.get("count")).longValue();
            long lengths = n == null || n.get("length") == null ? 0 : ((Number) n.get("length")).longValue();
            Map<String, Long> frequencies = new HashMap<>();
            for (int i = 0; i < distinct.size(); i++) {
                NamedList<?> t = (NamedList<?>) counts.get("f" + f + "t" + i);
                frequencies.put(distinct.get(i), t == null ? 0 : ((Number) t.get("count")).longValue());
            }
            out.put(fields.get(f), new Statistics(docs, lengths, frequencies));
        }
        return out;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.9g", value);
    }
}
