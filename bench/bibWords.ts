// Word lists for bench/makeBib.ts: invented people, title words, venues and publishers, written the ways real
// .bib files write them (LaTeX accents in several forms, Unicode, particles, braced acronyms, math).

/** A family name as a .bib file writes it, and the ASCII form a key is made from. */
export type Family = readonly [bib: string, ascii: string];

export const PLAIN_FAMILIES: readonly string[] = [
  'Abbott', 'Achterberg', 'Baptiste', 'Bauer', 'Banerjee', 'Castillo', 'Chakraborty', 'Chowdhury', 'Dalton', 'Delgado',
  'Duarte', 'Eriksson', 'Esposito', 'Fischer', 'Fitzgerald', 'Fontaine', 'Friedman', 'Gallagher', 'Greenberg',
  'Hashimoto', 'Holmberg', 'Horvath', 'Ibrahim', 'Iyer', 'Jakobsen', 'Jovanovic', 'Kaplan', 'Kobayashi', 'Kovalenko',
  'Lindqvist', 'Lombardi', 'Mahmoud', 'Matsumoto', 'Moreau', 'Murphy', 'Mwangi', 'Nakamura', 'Novak', 'Osei',
  'Oyelaran', 'Patel', 'Pereira', 'Petersen', 'Quinn', 'Rahman', 'Ramirez', 'Reyes', 'Sandoval', 'Schwartz', 'Silva',
  'Sokolov', 'Stewart', 'Suzuki', 'Takahashi', 'Tran', 'Ueda', 'Underwood', 'Valentini', 'Vasquez', 'Weber',
  'Whitaker', 'Yamamoto', 'Zimmermann', 'Mill', 'Miller', 'Mills', "O'Brien", 'MacAllister', 'Smith-Okafor',
];

export const ACCENTED_FAMILIES: readonly Family[] = [
  ['Schr{\\"o}der', 'schroder'], ['J{\\"a}rvinen', 'jarvinen'], ['Bj\\"{o}rk', 'bjork'], ['Gonz{\\\'a}lez', 'gonzalez'],
  ['Pe{\\~n}a', 'pena'], ['Nu\\~{n}ez', 'nunez'], ['N{\\\'u}{\\~n}ez', 'nunez'], ['{\\c{C}}elik', 'celik'],
  ['Fran{\\c c}a', 'franca'], ['Dvo{\\v{r}}{\\\'a}k', 'dvorak'], ['Sk{\\l}odowska', 'sklodowska'], ['{\\O}berg', 'oberg'],
  ['{\\AA}str{\\"o}m', 'astrom'], ['Stra{\\ss}er', 'strasser'], ['L{\\\'e}vy', 'levy'], ['Ord{\\\'o}{\\~n}ez', 'ordonez'],
  ['\\\'Alvarez', 'alvarez'], ['H\\"older', 'holder'], ['Erd{\\H{o}}s', 'erdos'], ['{\\v S}imi{\\\'c}', 'simic'],
  ['Åkesson', 'akesson'], ['Øvrebø', 'ovrebo'], ['Šimić', 'simic'], ['Núñez', 'nunez'], ['Çelik', 'celik'],
  ['Grünewald', 'grunewald'], ['Łopatka', 'lopatka'], ['Đorđević', 'dordevic'], ['Ştefănescu', 'stefanescu'],
  ['Nguyễn', 'nguyen'], ['Kovács', 'kovacs'], ['Ólafsdóttir', 'olafsdottir'], ['Müller', 'muller'],
];

/** Names in other scripts: their keys come from a transliteration, as a reference manager would make them. */
export const OTHER_SCRIPT_FAMILIES: readonly Family[] = [
  ['张', 'zhang'], ['佐藤', 'sato'], ['Петрова', 'petrova'], ['김', 'kim'], ['Παπαδάκης', 'papadakis'], ['כהן', 'cohen'],
];

export const PARTICLES: readonly Family[] = [
  ['von', 'von'], ['van', 'van'], ['van der', 'vander'], ['de', 'de'], ['de la', 'dela'], ['del', 'del'], ['di', 'di'],
  ['da', 'da'], ['du', 'du'], ['ter', 'ter'], ['le', 'le'],
];
export const PARTICLE_FAMILIES: readonly string[] = ['Berg', 'Dijk', 'Hoek', 'Mauro', 'Cunha', 'Bois', 'Horst', 'Roux', 'Leon', 'Santos'];
export const SUFFIXES: readonly string[] = ['Jr.', 'Jr', 'III', 'Sr.'];

export const GIVEN_NAMES: readonly string[] = [
  'Ada', 'Amara', 'Benedikt', 'Camille', 'Chiara', 'Dmitri', 'Elif', 'Emeka', 'Farah', 'Gustavo', 'Hana', 'Ingrid',
  'Ivo', 'Jia', 'Kwame', 'Laila', 'Lars', 'Mateo', 'Meera', 'Nadia', 'Omar', 'Priya', 'Rafael', 'Rosa', 'Siddharth',
  'Sigrid', 'Tomás', 'Tom{\\\'a}s', 'Ulrike', 'Valentina', 'Wiremu', 'Xin', 'Yusuf', 'Zofia', 'Ren{\\\'e}e',
  'Fran{\\c{c}}oise', 'Bj{\\o}rn', 'Søren', 'J.', 'M. K.', 'A.-L.', 'Jean-Luc', 'Mary Ann', '{\\relax Ch}ristoph', 'D. E.',
];

/** Organisations as authors, braced so BibTeX reads them as one name. */
export const CORPORATE: readonly Family[] = [
  ['{European Space Agency}', 'esa'], ['{National Academies of Sciences, Engineering, and Medicine}', 'nasem'],
  ['{Intergovernmental Panel on Climate Change}', 'ipcc'], ['{The {GNU} Project}', 'gnu'],
  ['{United Nations Development Programme}', 'undp'], ['{Python Software Foundation}', 'psf'],
];

export const TOPIC_WORDS: readonly string[] = [
  'adaptive', 'agent', 'alignment', 'atmospheric', 'attention', 'benchmark', 'biodiversity', 'boundary', 'calibration',
  'carbon', 'causal', 'coastal', 'cognition', 'contrastive', 'corpus', 'coupled', 'dataset', 'decentralised',
  'diffusion', 'discourse', 'drought', 'dynamics', 'embedding', 'emergent', 'energy', 'equilibrium', 'evaluation',
  'federated', 'fluid', 'forecasting', 'governance', 'gradient', 'heterogeneous', 'hydrology', 'inequality',
  'institutions', 'kernel', 'labour', 'latent', 'lexical', 'manifold', 'market', 'metabolic', 'microbial', 'mobility',
  'monitoring', 'morphology', 'multilingual', 'nonlinear', 'ocean', 'parsing', 'perception', 'policy', 'population',
  'pricing', 'probabilistic', 'provenance', 'quantitative', 'reasoning', 'regional', 'reinforcement', 'resilience',
  'retrieval', 'robotic', 'sampling', 'sediment', 'semantic', 'sensor', 'signal', 'social', 'soil', 'spectral',
  'stability', 'streaming', 'structural', 'supply', 'syntax', 'temporal', 'tensor', 'transfer', 'transport',
  'uncertainty', 'urban', 'variational', 'vegetation', 'verification', 'watershed', 'wireless',
];
export const LINK_WORDS: readonly string[] = ['of', 'the', 'in', 'for', 'and', 'on', 'with', 'from', 'under', 'towards', 'a', 'via'];
/** Words a title protects from case changes, math, markup and escapes, as people write them in .bib files. */
export const TITLE_SPECIALS: readonly string[] = [
  '{LiDAR}', '{CRISPR}', '{EU}', '{Amazon}', '{Arctic}', '{BERT}', '{SQL}', '{Kalman}', '{Nash}', '{Wasserstein}',
  '{HIV}', '{Sahel}', '$\\beta$-divergence', '$n$-gram', '$\\mathcal{O}(\\log n)$', '$L^2$', 'CO$_2$', '\\emph{in vivo}',
  'R\\&D', 'na{\\"\\i}ve', 'r{\\^o}le', 'Zürich', 'café', '{\\LaTeX}', '--', '50\\%',
];

export const JOURNALS: readonly string[] = [
  'Journal of Applied Ecology', 'Annals of Applied Statistics', 'Transactions on Machine Learning Research',
  'Journal of Hydrology', 'Regional Studies', 'Computational Linguistics', 'Ecological Economics',
  'Journal of the {American} Statistical Association', 'Physical Review {E}', 'Proceedings of the Royal Society {A}',
  'Zeitschrift f{\\"u}r Soziologie', 'Revue d\'{\\\'e}conomie politique', 'Geografisk Tidsskrift', 'Water Research',
];
export const VENUES: readonly string[] = [
  'Proceedings of the 41st International Conference on Machine Learning', 'Advances in Neural Information Processing Systems 36',
  'Proceedings of the 2023 Conference on Empirical Methods in Natural Language Processing',
  'Proceedings of the {ACM} Web Conference', 'Proceedings of {EGU} General Assembly',
  'Findings of the Association for Computational Linguistics: {ACL} 2024',
];
export const PUBLISHERS: readonly string[] = [
  'Springer', 'Elsevier', 'Cambridge University Press', 'Oxford University Press', 'MIT Press', 'Wiley',
  'Routledge', '{De Gruyter}', 'Presses universitaires de France', '{O\'Reilly Media}', 'Edward Elgar',
];
export const PLACES: readonly string[] = ['Berlin', 'New York', 'Cambridge, MA', 'London', 'Paris', 'Kyoto', 'Z{\\"u}rich', 'São Paulo', 'Nairobi'];
export const INSTITUTIONS: readonly string[] = ['University of Helsinki', 'Universidad de Chile', '{ETH} Z{\\"u}rich', 'Kyoto University', 'University of Ghana'];
export const KEYWORD_TERMS: readonly string[] = ['remote sensing', 'machine learning', 'hydrology', 'inequality', 'NLP', 'ecology', 'policy', 'statistics'];
export const ARXIV_CATEGORIES: readonly string[] = ['hep-th', 'astro-ph', 'cond-mat', 'math.AG', 'q-bio.PE', 'cs.CL'];

/** @string macros written at the top: [name, definition as written]. Entries use some of them by name. */
export const STRING_MACROS: readonly (readonly [string, string])[] = [
  ['jae', '"Journal of Applied Ecology"'],
  ['aoas', '{Annals of Applied Statistics}'],
  ['tmlr', '"Transactions on Machine Learning Research"'],
  ['jhydrol', '{Journal of Hydrology}'],
  ['procof', '"Proceedings of the "'],
  ['icml', 'procof # "International Conference on Machine Learning"'],
  ['springer', '{Springer}'],
  ['cup', '"Cambridge University Press"'],
  ['lnai', '{Lecture Notes in Artificial Intelligence}'],
];
export const JOURNAL_MACROS: readonly string[] = ['jae', 'aoas', 'tmlr', 'jhydrol'];
export const MONTHS: readonly string[] = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
