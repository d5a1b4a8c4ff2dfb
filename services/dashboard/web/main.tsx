import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import './i18n.js';
import { App } from './app.js';

render(<App />, document.getElementById('app')!);
