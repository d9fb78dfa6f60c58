package dev.memos.cubes.bench;

import dev.memos.cubes.embed.onnx.OnnxEmbedder;
import dev.memos.testkit.bench.LocomoData;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A laboratory for ranking ideas on the LoCoMo development subset, in process and without the service: every
 * list (keyword and vector over each turn, over a window of neighbours, over sessions) is computed once, and
 * combinations are fused and scored in memory. What helps here is then built into memos and measured with
 * {@code ./memos eval-locomo}. Data read from {@code ../shared/data/locomo-dev}, never copied. Run with
 * {@code ./memos lab-locomo [file] [-Dbefore=2 -Dafter=1 -Dspeaker=1.0 -Dsuppress=1 -Dprf.n=3 -Dprf.w=0.5
 * -Dppr.seeds=5 -Dppr.alpha=0.5 -Dppr.maxdf=0.1 -Ddiverse=0.8 -Donly=bm25]}, {@code only} keeping the combinations
 * whose name contains it; prints R@5/10/20 overall and R@10 per category for each
 * combination of lists.
 */
public final class LocomoLab {
    private static final Analyzer ANALYZER = new EnglishAnalyzer();
    private static final int BEFORE = Integer.getInteger("before", 2);
    private static final int AFTER = Integer.getInteger("after", 1);
    private static final double SUPPRESS = Double.parseDouble(System.getProperty("suppress", "1"));
    /** Session diversity: a turn's score times DIVERSE for each turn of its session picked before it (a list: each tried). */
    private static final double[] DIVERSITIES = java.util.Arrays.stream(System.getProperty("diverse", "1").split(","))
            .mapToDouble(Double::parseDouble).toArray();
    private static double DIVERSE = 1;

    record Turn(String dia, int session, int index, String text) {
    }

    record Question(int conversation, String text, Set<String> evidence, int category, float[] vector) {
    }

    record Conversation(List<Turn> turns, Map<String, float[]> lists) {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/locomo-dev/locomo-dev.json");
        LocomoData.Data data = LocomoData.read(file);
        try (OnnxEmbedder embedder = OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL, OnnxEmbedder.BGE_QUERY_PREFIX, 2)) {
            List<List<Turn>> conversations = new ArrayList<>();
            List<Question> questions = new ArrayList<>();
            for (LocomoData.Conversation conversation : data.conversations()) {
                List<Turn> turns = new ArrayList<>();
                int previous = 0;
                int i = 0;
                for (LocomoData.Turn t : conversation.turns()) {
                    i = t.session() == previous ? i : 0;
                    previous = t.session();
                    turns.add(new Turn(t.dia(), t.session(), i++, t.text()));
                }
                for (LocomoData.Question q : conversation.questions()) {
                    questions.add(new Question(conversations.size(), q.text(), q.evidence(), q.category(),
                            embedder.embedQuery(q.text())));
                }
                conversations.add(turns);
            }
            System.out.printf("%d turns, %d questions%n", conversations.stream().mapToInt(List::size).sum(), questions.size());

            List<Lists> lists = new ArrayList<>();
            for (List<Turn> turns : conversations) {
                lists.add(new Lists(turns, embedder));
            }
            Map<String, Function<Question, List<List<Integer>>>> variants = new LinkedHashMap<>();
            variants.put("base: bm25 + vec", q -> List.of(lists.get(q.conversation()).bm25(q.text(), "text"),
                    lists.get(q.conversation()).vec(q.vector(), "self")));
            variants.put("bm25(win) + vec(win)", q -> List.of(lists.get(q.conversation()).bm25(q.text(), "window"),
                    lists.get(q.conversation()).vec(q.vector(), "window")));
            variants.put("bm25 + bm25(win) + vec + vec(win)", q -> List.of(lists.get(q.conversation()).bm25(q.text(), "text"),
                    lists.get(q.conversation()).bm25(q.text(), "window"),
                    lists.get(q.conversation()).vec(q.vector(), "self"), lists.get(q.conversation()).vec(q.vector(), "window")));
            variants.put("bm25 + bm25(win) + vec + vec(mix)", q -> List.of(lists.get(q.conversation()).bm25(q.text(), "text"),
                    lists.get(q.conversation()).bm25(q.text(), "window"),
                    lists.get(q.conversation()).vec(q.vector(), "self"), lists.get(q.conversation()).vec(q.vector(), "mix")));
            Function<Question, List<List<Integer>>> four = variants.get("bm25 + bm25(win) + vec + vec(win)");
            variants.put("four + prf", q -> {
                List<List<Integer>> l = new ArrayList<>(four.apply(q));
                l.add(lists.get(q.conversation()).prf(q, fuse(l, 10)));
                return l;
            });
            variants.put("four + ppr", q -> {
                List<List<Integer>> l = new ArrayList<>(four.apply(q));
                l.add(lists.get(q.conversation()).ppr(fuse(l, 10)));
                return l;
            });
            variants.put("four + prf + ppr", q -> {
                List<List<Integer>> l = new ArrayList<>(four.apply(q));
                List<Integer> first = fuse(l, 10);
                l.add(lists.get(q.conversation()).prf(q, first));
                l.add(lists.get(q.conversation()).ppr(first));
                return l;
            });
            variants.put("four + links (vector)", q -> {
                List<List<Integer>> l = new ArrayList<>(four.apply(q));
                l.add(lists.get(q.conversation()).linked(fuse(l, 10), false));
                return l;
            });
            variants.put("four + links (vector, entities)", q -> {
                List<List<Integer>> l = new ArrayList<>(four.apply(q));
                l.add(lists.get(q.conversation()).linked(fuse(l, 10), true));
                return l;
            });
            System.out.printf("window: %d before, %d after; neighbour suppression %.2f; session diversity %s%n", BEFORE, AFTER,
                    SUPPRESS, java.util.Arrays.toString(DIVERSITIES));
            for (int k : new int[] {10}) {
                for (double diverse : DIVERSITIES) {
                    DIVERSE = diverse;
                    for (var variant : variants.entrySet()) {
                        if (!variant.getKey().contains(System.getProperty("only", ""))) {
                            continue;
                        }
                        report(variant.getKey() + " k=" + k + " diverse=" + diverse, questions, lists, variant.getValue(), k);
                    }
                }
            }
        }
    }

    /** The ranked lists of one conversation. */
    static final class Lists {
        final List<Turn> turns;
        final IndexSearcher searcher;
        final Map<String, float[][]> vectors = new HashMap<>();
        final float[][] sessionVectors;
        final int sessions;

        Lists(List<Turn> turns, OnnxEmbedder embedder) throws Exception {
            this.turns = turns;
            ByteBuffersDirectory dir = new ByteBuffersDirectory();
            List<String> windows = new ArrayList<>();
            try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(ANALYZER))) {
                for (int i = 0; i < turns.size(); i++) {
                    String window = window(i);
                    windows.add(window);
                    Document d = new Document();
                    d.add(new StoredField("i", i));
                    d.add(new TextField("text", turns.get(i).text(), Field.Store.NO));
                    d.add(new TextField("window", window, Field.Store.NO));
                    w.addDocument(d);
                }
            }
            searcher = new IndexSearcher(DirectoryReader.open(dir));
            float[][] self = embedder.embedPassages(turns.stream().map(Turn::text).toList()).toArray(float[][]::new);
            vectors.put("self", self);
            vectors.put("window", embedder.embedPassages(windows).toArray(float[][]::new));
            float[][] mix = new float[self.length][];
            for (int i = 0; i < self.length; i++) {
                float[] m = self[i].clone();
                for (int j : new int[] {i - 1, i + 1}) {
                    if (j >= 0 && j < self.length && turns.get(j).session() == turns.get(i).session()) {
                        for (int d = 0; d < m.length; d++) {
                            m[d] += 0.5f * self[j][d];
                        }
                    }
                }
                mix[i] = dev.memos.cubes.embed.Vectors.normalize(m);
            }
            vectors.put("mix", mix);
            sessions = turns.getLast().session();
            sessionVectors = new float[sessions + 1][];
            for (int s = 1; s <= sessions; s++) {
                float[] m = new float[self[0].length];
                for (int i = 0; i < turns.size(); i++) {
                    if (turns.get(i).session() == s) {
                        for (int d = 0; d < m.length; d++) {
                            m[d] += self[i][d];
                        }
                    }
                }
                sessionVectors[s] = dev.memos.cubes.embed.Vectors.normalize(m);
            }
        }

        String window(int i) {
            StringBuilder b = new StringBuilder();
            for (int j = i - BEFORE; j <= i + AFTER; j++) {
                if (j >= 0 && j < turns.size() && turns.get(j).session() == turns.get(i).session()) {
                    b.append(turns.get(j).text()).append('\n');
                }
            }
            return b.toString();
        }

        List<Integer> bm25(String text, String field) {
            try {
                Query q = new QueryBuilder(ANALYZER).createBooleanQuery(field, text, Occur.SHOULD);
                if (q == null) {
                    return List.of();
                }
                List<Integer> out = new ArrayList<>();
                for (ScoreDoc d : searcher.search(q, 40).scoreDocs) {
                    out.add(searcher.storedFields().document(d.doc).getField("i").numericValue().intValue());
                }
                return out;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        List<Integer> vec(float[] q, String which) {
            float[][] v = vectors.get(which);
            Integer[] order = new Integer[v.length];
            double[] score = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                order[i] = i;
                score[i] = dev.memos.cubes.embed.Vectors.dot(q, v[i]);
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
            return List.of(order).subList(0, Math.min(40, order.length));
        }

        /** Pseudo-relevance feedback: the query vector moved toward the windows of the first list's top three. */
        List<Integer> prf(Question q, List<Integer> first) {
            float[][] win = vectors.get("window");
            float[] m = q.vector().clone();
            for (int i : first.subList(0, Math.min(PRF_N, first.size()))) {
                for (int d = 0; d < m.length; d++) {
                    m[d] += (float) PRF_W / PRF_N * win[i][d];
                }
            }
            return vec(dev.memos.cubes.embed.Vectors.normalize(m), "window");
        }

        Map<Integer, Map<String, Double>> termsOf;
        Map<String, List<Integer>> turnsOf;

        /** Personalised PageRank over the turn–term graph from the first list's top turns. */
        List<Integer> ppr(List<Integer> first) {
            if (termsOf == null) {
                termsOf = new HashMap<>();
                turnsOf = new HashMap<>();
                for (int i = 0; i < turns.size(); i++) {
                    Set<String> terms = new HashSet<>();
                    try (var ts = ANALYZER.tokenStream("t", turns.get(i).text())) {
                        var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
                        ts.reset();
                        while (ts.incrementToken()) {
                            terms.add(term.toString());
                        }
                        ts.end();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    for (String t : terms) {
                        turnsOf.computeIfAbsent(t, x -> new ArrayList<>()).add(i);
                    }
                    termsOf.put(i, new HashMap<>());
                    for (String t : terms) {
                        termsOf.get(i).put(t, 0.0);
                    }
                }
                for (var e : termsOf.entrySet()) {
                    double total = 0;
                    for (String t : e.getValue().keySet()) {
                        int df = turnsOf.get(t).size();
                        double w = df > PPR_MAXDF * turns.size() ? 0 : Math.log((double) turns.size() / df);
                        e.getValue().put(t, w);
                        total += w;
                    }
                    final double sum = total;
                    e.getValue().replaceAll((t, w) -> sum == 0 ? 0 : w / sum);
                }
            }
            double[] restart = new double[turns.size()];
            int seeds = Math.min(PPR_SEEDS, first.size());
            for (int r = 0; r < seeds; r++) {
                restart[first.get(r)] = 1.0 / (r + 1);
            }
            double norm = java.util.Arrays.stream(restart).sum();
            for (int i = 0; i < restart.length; i++) {
                restart[i] /= norm;
            }
            double[] p = restart.clone();
            for (int it = 0; it < 20; it++) {
                Map<String, Double> termMass = new HashMap<>();
                for (int i = 0; i < p.length; i++) {
                    if (p[i] == 0) {
                        continue;
                    }
                    for (var tw : termsOf.get(i).entrySet()) {
                        if (tw.getValue() > 0) {
                            termMass.merge(tw.getKey(), p[i] * tw.getValue(), Double::sum);
                        }
                    }
                }
                double[] next = new double[p.length];
                for (var tm : termMass.entrySet()) {
                    List<Integer> holders = turnsOf.get(tm.getKey());
                    for (int i : holders) {
                        next[i] += tm.getValue() / holders.size();
                    }
                }
                for (int i = 0; i < p.length; i++) {
                    p[i] = PPR_ALPHA * restart[i] + (1 - PPR_ALPHA) * next[i];
                }
            }
            Integer[] order = new Integer[p.length];
            for (int i = 0; i < p.length; i++) {
                order[i] = i;
            }
            final double[] score = p;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
            return List.of(order).subList(0, Math.min(40, order.length));
        }

        static final int LINKS = Integer.getInteger("links.k", 3);
        static final double LINK_MIN = Double.parseDouble(System.getProperty("links.min", "0.75"));
        static final int LINK_SEEDS = Integer.getInteger("links.seeds", 5);
        final Map<Boolean, List<List<Integer>>> linksOf = new HashMap<>();
        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("\\b[A-Z][a-z]{2,}\\b");

        /**
         * A-Mem's links: each turn linked when written to its LINKS nearest earlier turns (cosine ≥ LINK_MIN) in other
         * sessions, and (with entities) to earlier turns naming the same capitalised word that is no speaker; links go
         * both ways. The list: the links of the first list's top LINK_SEEDS, in seed order.
         */
        List<Integer> linked(List<Integer> first, boolean entities) {
            List<List<Integer>> links = linksOf.get(entities);
            if (links == null) {
                float[][] self = vectors.get("self");
                Set<String> speakers = new HashSet<>();
                turns.forEach(t -> speakers.add(t.text().substring(0, t.text().indexOf(':'))));
                links = new ArrayList<>();
                List<Set<String>> names = new ArrayList<>();
                for (int i = 0; i < turns.size(); i++) {
                    links.add(new ArrayList<>());
                    Set<String> n = new HashSet<>();
                    var m = NAME.matcher(turns.get(i).text().substring(turns.get(i).text().indexOf(':') + 1));
                    while (m.find()) {
                        if (!speakers.contains(m.group())) {
                            n.add(m.group());
                        }
                    }
                    names.add(n);
                }
                for (int i = 0; i < turns.size(); i++) {
                    List<Integer> earlier = new ArrayList<>();
                    for (int j = 0; j < i; j++) {
                        if (turns.get(j).session() != turns.get(i).session()
                                && dev.memos.cubes.embed.Vectors.dot(self[i], self[j]) >= LINK_MIN) {
                            earlier.add(j);
                        }
                    }
                    final int a = i;
                    earlier.sort((x, y) -> Double.compare(dev.memos.cubes.embed.Vectors.dot(self[a], self[y]),
                            dev.memos.cubes.embed.Vectors.dot(self[a], self[x])));
                    for (int j : earlier.subList(0, Math.min(LINKS, earlier.size()))) {
                        links.get(i).add(j);
                        links.get(j).add(i);
                    }
                }
                linksOf.put(entities, links);
                if (entities) {
                    for (int i = 0; i < turns.size(); i++) {
                        for (int j = 0; j < i; j++) {
                            if (!java.util.Collections.disjoint(names.get(i), names.get(j))) {
                                links.get(i).add(j);
                                links.get(j).add(i);
                            }
                        }
                    }
                }
            }
            List<Integer> out = new ArrayList<>();
            for (int seed : first.subList(0, Math.min(LINK_SEEDS, first.size()))) {
                for (int j : links.get(seed)) {
                    if (!out.contains(j) && out.size() < 40) {
                        out.add(j);
                    }
                }
            }
            return out;
        }

        /** Turns ranked by their session's similarity, then their own (the episode level expanded into turns). */
        List<Integer> sessions(Question q) {
            double[] score = new double[turns.size()];
            Integer[] order = new Integer[turns.size()];
            float[][] self = vectors.get("self");
            for (int i = 0; i < turns.size(); i++) {
                order[i] = i;
                score[i] = dev.memos.cubes.embed.Vectors.dot(q.vector(), sessionVectors[turns.get(i).session()])
                        + 0.5 * dev.memos.cubes.embed.Vectors.dot(q.vector(), self[i]);
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
            return List.of(order).subList(0, Math.min(40, order.length));
        }
    }

    static final double SPEAKER = Double.parseDouble(System.getProperty("speaker", "0"));
    static final int PRF_N = Integer.getInteger("prf.n", 3);
    static final double PRF_W = Double.parseDouble(System.getProperty("prf.w", "0.5"));
    static final int PPR_SEEDS = Integer.getInteger("ppr.seeds", 5);
    static final double PPR_ALPHA = Double.parseDouble(System.getProperty("ppr.alpha", "0.5"));
    static final double PPR_MAXDF = Double.parseDouble(System.getProperty("ppr.maxdf", "0.1"));

    static List<Integer> fuse(List<List<Integer>> lists, int rrfK) {
        Map<Integer, Double> fused = new HashMap<>();
        for (List<Integer> list : lists) {
            for (int r = 0; r < list.size(); r++) {
                fused.merge(list.get(r), 1.0 / (rrfK + r + 1), Double::sum);
            }
        }
        List<Integer> ranked = new ArrayList<>(fused.keySet());
        ranked.sort((a, b) -> Double.compare(fused.get(b), fused.get(a)));
        return ranked;
    }

    /** Picks greedily; a turn next to one already picked counts its score times SUPPRESS. */
    static List<Integer> suppressNeighbours(List<Integer> ranked, Map<Integer, Double> fused, List<Turn> turns) {
        List<Integer> left = new ArrayList<>(ranked);
        List<Integer> out = new ArrayList<>();
        Set<Integer> picked = new HashSet<>();
        while (!left.isEmpty()) {
            int best = -1;
            double bestScore = -1;
            for (int c = 0; c < Math.min(left.size(), 60); c++) {
                int i = left.get(c);
                boolean near = (picked.contains(i - 1) && turns.get(i - 1).session() == turns.get(i).session())
                        || (picked.contains(i + 1) && turns.get(i + 1).session() == turns.get(i).session());
                long sameSession = out.stream().filter(p -> turns.get(p).session() == turns.get(i).session()).count();
                double s = fused.get(i) * (near ? SUPPRESS : 1) * Math.pow(DIVERSE, sameSession);
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            int i = left.remove(best);
            picked.add(i);
            out.add(i);
        }
        return out;
    }

    static void report(String name, List<Question> questions, List<Lists> lists,
                       Function<Question, List<List<Integer>>> variant, int rrfK) {
        int[] ks = {5, 10, 20};
        Map<Integer, double[]> byCategory = new TreeMap<>();
        Map<Integer, Integer> counts = new HashMap<>();
        for (Question q : questions) {
            Map<Integer, Double> fused = new HashMap<>();
            for (List<Integer> list : variant.apply(q)) {
                for (int r = 0; r < list.size(); r++) {
                    fused.merge(list.get(r), 1.0 / (rrfK + r + 1), Double::sum);
                }
            }
            List<Integer> ranked = new ArrayList<>(fused.keySet());
            ranked.sort((a, b) -> Double.compare(fused.get(b), fused.get(a)));
            List<Turn> turns = lists.get(q.conversation()).turns;
            if (SPEAKER > 0) {
                Set<String> named = new HashSet<>();
                for (Turn t : turns) {
                    String speaker = t.text().substring(0, t.text().indexOf(':'));
                    if (q.text().contains(speaker)) {
                        named.add(speaker);
                    }
                }
                if (named.size() == 1) {
                    String who = named.iterator().next() + ":";
                    fused.replaceAll((i, v) -> turns.get(i).text().startsWith(who) ? v * (1 + SPEAKER) : v);
                    ranked.sort((a, b) -> Double.compare(fused.get(b), fused.get(a)));
                }
            }
            if (SUPPRESS < 1 || DIVERSE < 1) {
                ranked = suppressNeighbours(ranked, fused, turns);
            }
            double[] recall = byCategory.computeIfAbsent(q.category(), c -> new double[ks.length]);
            counts.merge(q.category(), 1, Integer::sum);
            for (int k = 0; k < ks.length; k++) {
                Set<String> top = new HashSet<>();
                ranked.subList(0, Math.min(ks[k], ranked.size())).forEach(i -> top.add(turns.get(i).dia()));
                recall[k] += (double) q.evidence().stream().filter(top::contains).count() / q.evidence().size();
            }
        }
        double[] overall = new double[ks.length];
        StringBuilder cats = new StringBuilder();
        for (var e : byCategory.entrySet()) {
            for (int k = 0; k < ks.length; k++) {
                overall[k] += e.getValue()[k];
            }
            cats.append(String.format("  c%d %.3f", e.getKey(), e.getValue()[1] / counts.get(e.getKey())));
        }
        System.out.printf("%-42s R@5 %.3f R@10 %.3f R@20 %.3f |%s (R@10)%n", name, overall[0] / questions.size(),
                overall[1] / questions.size(), overall[2] / questions.size(), cats);
    }
}
